"""检查实施 (issue 11): 1,000 pre-filled 随机抽查检查表 with QR codes into one .docx, and importing a
5,000-inspection results sheet.

    python benchmarks/bench_check_tables.py [FORMS] [INSPECTIONS]

Targets on the 2-core reference machine: the 1,000 forms ≤ 3 s with peak memory ≤ 300 MB
(printed with the ratio to rendering one form); the 5,000-inspection sheet imported ≤ 2 s.
CPU seconds are printed beside the wall clock: on a shared machine the load stretches the wall
clock several times over, while the CPU time is what an idle machine would show.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("SHUANGSUIJI_DATA_DIR", tempfile.mkdtemp(prefix="ssj-bench-"))

from openpyxl import load_workbook

from app.db.migrate import upgrade
from app.db.models import (
    CheckItem,
    Department,
    Draw,
    Inspection,
    ItemResult,
    Plan,
    Subject,
    Task,
)
from app.db.session import Database
from app.documents import TemplateStore
from app.domain.accounts import Actor, Role
from app.domain.credit_code import compute_check_char
from app.domain.inspection import qr_payload
from app.services.inspection import sheet
from app.services.inspection.sheet_import import import_sheet

FORMS_SECONDS, FORMS_MB, IMPORT_SECONDS = 3.0, 300.0, 2.0
POINTS = ["从业人员健康证明是否在有效期内。", "食品贮存条件是否符合标签标示的要求，冷藏冷冻设施是否正常运转。",
          "进货查验记录、索证索票是否齐全、真实。", "对照《食品安全法》第五十三条、第五十四条逐项核查。"]


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def code(i: int) -> str:
    body = f"9141990{i:010d}"
    return body + compute_check_char(body)


def forms(n: int) -> list[dict]:
    items = [{"序号": k, "检查事项": name, "部门": "", "检查要点": POINTS, "发现问题情况": "", "处置情况": ""}
             for k, name in enumerate(("一般风险食品销售监督检查", "高风险食品销售监督检查"), 1)]
    return [{
        "部门名称": "青禾县市场监督管理局", "任务名称": "食品销售经营者监督检查", "任务编号": "禾市监抽查〔2026〕1号",
        "被检查单位": f"青禾县第{i}食品商行", "统一社会信用代码": code(i), "住所": f"青禾县河口镇德润路{i}号",
        "法定代表人": "张建国", "联系电话": "13903101234", "检查日期": "　　年　　月　　日", "核查方式": [],
        "检查事项": items, "检查结果": "",
        "检查人员": [{"姓名": "李军霞", "执法证号": "4199000001"}, {"姓名": "王可", "执法证号": "4199000002"}],
        "组长": "李军霞", "检查表二维码": qr_payload(i, code(i)), "二维码文字": qr_payload(i, code(i)),
    } for i in range(1, n + 1)]


def bench_forms(n: int, work: Path) -> bool:
    data = forms(n)
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    form = TemplateStore(work / "user").load("check_form")
    loaded = time.perf_counter()
    single = min(_timed(lambda i=i: form.render(data[i], work / f"one{i}.docx")) for i in range(5))
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    form.render_batch(data, work / "batch.docx")
    batch, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    total = loaded - start + batch
    rss = peak_rss_mb()
    ok = total <= FORMS_SECONDS and (rss is None or rss <= FORMS_MB)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(f"随机抽查检查表 × {n}（预填、含二维码）合并为一个 .docx"
          + (f"（系统负载 {load:.1f}）" if load is not None else ""))
    print(f"  载入并检查模板        {loaded - start:8.3f} s")
    print(f"  单份（基准，5 次取最快）{single * 1000:8.1f} ms")
    print(f"  批量 {n} 份            {batch:8.3f} s   （每份 {batch / n * 1000:.2f} ms；CPU 时间 {cpu:.3f} s）")
    print(f"  合计（载入 + 批量）    {total:8.3f} s   目标 ≤ {FORMS_SECONDS:.0f} s："
          + ("达到" if total <= FORMS_SECONDS else "未达到"))
    print(f"  批量 / 单份            {batch / single:8.1f} 倍   （{n} 份逐一生成约 {n * single:.1f} s）")
    print(f"  输出文件              {(work / 'batch.docx').stat().st_size / 1024 / 1024:8.2f} MB")
    if rss is not None:
        print(f"  峰值内存（RSS）        {rss:8.1f} MB   目标 ≤ {FORMS_MB:.0f} MB（批量前 {rss_before:.1f} MB）")
    return ok


def _timed(action) -> float:
    t = time.perf_counter()
    action()
    return time.perf_counter() - t




def _task_with_inspections(db: Database, n: int) -> int:
    """A drawn task of ``n`` subjects and two items, written directly (a draw of 5,000 is not the point)."""
    with db.session() as session:
        dept = Department(name="青禾县市场监督管理局", short_name="禾市监")
        session.add(dept)
        session.flush()
        items = [CheckItem(natural_key=f"bench{k}", compiler="省市场监管局", name=name, department_id=dept.id)
                 for k, name in enumerate(("一般风险食品销售监督检查", "高风险食品销售监督检查"))]
        plan = Plan(year=2026, name="2026年度抽查计划", department_id=dept.id)
        session.add_all([*items, plan])
        session.flush()
        task = Task(plan_id=plan.id, name="食品销售经营者监督检查", number="禾市监抽查〔2026〕1号",
                    initiating_department_id=dept.id, quota_count=n, starts_on=dt.date(2026, 9, 1),
                    ends_on=dt.date(2026, 12, 25), items=items)
        session.add(task)
        session.flush()
        draw = Draw(task_id=task.id, protocol_version="bench", status="已完成")
        session.add(draw)
        session.flush()
        subjects = [Subject(credit_code=code(i), name=f"青禾县第{i}食品商行", address=f"德润路{i}号")
                    for i in range(1, n + 1)]
        session.add_all(subjects)
        session.flush()
        session.add_all(Inspection(task_id=task.id, draw_id=draw.id, subject_id=s.id, draw_rank=r,
                                   results=[ItemResult(check_item_id=item.id) for item in items])
                        for r, s in enumerate(subjects, 1))
        return task.id


def _fill(path: Path) -> None:
    """Every inspection entered, as a team would in Excel: one in ten 责令改正."""
    book = load_workbook(path)
    ws = book[sheet.SHEET]
    col = {name: i + 1 for i, name in enumerate(sheet.HEADER)}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["事项序号"]).value != 1:
            continue
        problem = r % 20 == 0
        for name, value in (("检查日期", dt.date(2026, 10, 1 + r % 28)), ("核查方式", "实地检查"),
                            ("检查结果", "发现问题已责令改正" if problem else "未发现问题"),
                            ("后续处置", "责令改正" if problem else "无需后续处置"),
                            ("整改期限", dt.date(2026, 11, 30) if problem else None)):
            ws.cell(r, col[name], value)
        if problem:
            ws.cell(r, col["事项结果"], "发现问题已责令改正")
            ws.cell(r, col["发现问题情况"], "冷藏柜温度超过标示温度")
    book.save(path)


def bench_import(n: int, work: Path) -> bool:
    db = Database(f"sqlite:///{(work / 'bench.sqlite3').as_posix()}")
    upgrade(db.engine)
    task_id = _task_with_inspections(db, n)
    path = work / "结果表.xlsx"
    exported = _timed(lambda: sheet.export_sheet(db, task_id, path))
    _fill(path)
    clerk = Actor("bench", "基准", frozenset({Role.CLERK}))
    result = None

    def run() -> None:
        nonlocal result
        result = import_sheet(db, clerk, path)

    cpu_start = time.process_time()
    seconds = _timed(run)
    cpu = time.process_time() - cpu_start
    again = _timed(lambda: import_sheet(db, clerk, path))
    db.dispose()
    print(f"\n检查结果表：{n:,} 个检查对象 × 2 个检查事项（{n * 2:,} 行）")
    print(f"  导出结果表            {exported:8.3f} s")
    print(f"  导入（全部新录入）    {seconds:8.3f} s   目标 ≤ {IMPORT_SECONDS:.0f} s："
          + ("达到" if seconds <= IMPORT_SECONDS else "未达到")
          + f"（CPU 时间 {cpu:.3f} s；新录入 {result.imported:,}，错误 {len(result.errors)}）")
    print(f"  原表再导入（无改动）  {again:8.3f} s")
    return seconds <= IMPORT_SECONDS and result.committed and result.imported == n


def main(n_forms: int, n_inspections: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        forms_ok = bench_forms(n_forms, work)
        import_ok = bench_import(n_inspections, work)
    return 0 if forms_ok and import_ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 5000))
