"""1,000 检查结果告知书 with QR codes into one .docx: seconds, peak memory, ratio to one.

    python benchmarks/bench_notices.py [N]

Target (issue 4): ≤ 10 s in all for 1,000 on the 2-core reference machine.
The baseline is the same template rendered once (one notice, one file); the
ratio says how far the batch is from N × that.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.documents import TemplateStore  # noqa: E402

TARGET_SECONDS = 10.0


def notices(n: int) -> list[dict]:
    base = {
        "部门名称": "馆陶县市场监督管理局", "住所": "河北省邯郸市馆陶县陶山街道人民路88号",
        "任务名称": "2026年度食品生产企业监督检查", "任务编号": "馆市监抽查〔2026〕3号",
        "检查日期": dt.date(2026, 11, 3), "检查事项": "食品生产者生产条件检查、食品生产过程控制检查",
        "检查方式": "实地核查", "公示时限": 20, "公示平台": "国家企业信用信息公示系统", "异议期限": 5,
        "联系人": "王可", "联系电话": "0310-2837912", "成文日期": dt.date(2026, 11, 20),
    }
    results = ["未发现问题", "发现问题已责令改正", "未按规定公示应当公示的信息"]
    out = []
    for i in range(1, n + 1):
        number = f"馆市监抽告〔2026〕{i}号"
        code = f"91130433MA{i:07d}X"
        out.append({**base, "文号": number, "被检查单位": f"馆陶县第{i}食品有限公司",
                    "统一社会信用代码": code, "检查结果": results[i % 3],
                    "后续处置": "请你单位于2026年11月30日前完成整改。" if i % 3 == 1 else "",
                    "核验二维码": f"SSJ1|{number}|{code}|{i * 7919:012x}"})
    return out


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def main(n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = notices(n)
        rss_before = peak_rss_mb()

        start = time.perf_counter()
        form = TemplateStore(work / "user").load("notice")
        loaded = time.perf_counter()
        singles = []
        for i in range(5):
            t = time.perf_counter()
            form.render(data[i], work / f"one{i}.docx")
            singles.append(time.perf_counter() - t)
        single = min(singles)

        t = time.perf_counter()
        out = form.render_batch(data, work / "batch.docx")
        batch = time.perf_counter() - t
        total = (loaded - start) + batch
        rss_after = peak_rss_mb()

        print(f"检查结果告知书 × {n}（含二维码）合并为一个 .docx")
        print(f"  载入并检查模板      {loaded - start:8.3f} s")
        print(f"  单份（基准，5 次取最快）{single * 1000:8.1f} ms")
        print(f"  批量 {n} 份          {batch:8.3f} s   （每份 {batch / n * 1000:.2f} ms）")
        print(f"  合计（载入 + 批量）  {total:8.3f} s   目标 ≤ {TARGET_SECONDS:.0f} s："
              + ("达到" if total <= TARGET_SECONDS else "未达到"))
        print(f"  批量 / 单份          {batch / single:8.1f} 倍   （{n} 份逐一生成约 {n * single:.1f} s）")
        print(f"  输出文件            {out.stat().st_size / 1024 / 1024:8.2f} MB")
        if rss_after is not None:
            print(f"  峰值内存（RSS）      {rss_after:8.1f} MB   （批量前 {rss_before:.1f} MB）")
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
