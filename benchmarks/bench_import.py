"""Issue 3: importing a 500,000-row subject directory, and filtering it.

Measured in one run, each in a fresh process so its peak memory is its own:
  (a) reading the workbook with python-calamine alone — the floor;
  (b) the program's full import into SQLite, validation and upsert included;
  (c) a plain openpyxl read of the same file — what a typical implementation does.
Targets: b/a <= 2.0, peak memory of (b) <= 1 GB, and a filter at 500k answering within 300 ms.
The workbook is generated once and cached in benchmarks/.cache/.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
ROWS = 500_000
WORKBOOK = CACHE / f"subjects-{ROWS}.xlsx"

HEADER = ["统一社会信用代码", "企业名称", "主体类型", "法定代表人", "联系电话", "住所", "所属乡镇", "行业",
          "登记状态", "成立日期", "登记机关", "信用风险分类", "经营异常名录", "严重违法失信", "重点监管对象", "标签"]
REGIONS = ["城关镇", "东城街道", "西城街道", "河口镇", "柳林镇", "石桥镇", "青山乡", "白沙镇", "新庄乡", "马集镇"]
INDUSTRIES = ["批发和零售业", "住宿和餐饮业", "制造业", "建筑业", "居民服务、修理和其他服务业"]


def generate() -> None:
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    from openpyxl import Workbook

    from app.domain.credit_code import compute_check_char

    rng = random.Random(500)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("名录")
    sheet.append(["某市市场主体名录（基准测试）"])
    sheet.append(HEADER)
    for i in range(ROWS):
        body = f"9141{i % 90 + 10:02d}00{i:09d}"
        sheet.append([
            body + compute_check_char(body), f"某市{REGIONS[i % 10]}第{i}号商贸有限公司", "有限责任公司",
            "张三", f"138{i:08d}", f"某市{REGIONS[i % 10]}人民路{i % 999}号", REGIONS[i % 10], INDUSTRIES[i % 5],
            "存续", dt.date(2000 + i % 25, i % 12 + 1, i % 28 + 1), "某市市场监督管理局", "ABCD"[rng.randrange(4)],
            "是" if i % 50 == 0 else "否", "否", "是" if i % 20 == 0 else "否", "食品经营" if i % 7 == 0 else "",
        ])
    book.save(WORKBOOK)


# name → (set-up, the measured operation).  Each child measures its operation only, after the
# modules it needs are loaded (and, for the import, the empty database is created): a clerk's
# program is already running, on a database already set up, when a file is imported.
CHILD = {
    "calamine": ("from python_calamine import CalamineWorkbook", """
rows = 0
for row in CalamineWorkbook.from_path(PATH).get_sheet_by_index(0).iter_rows():
    rows += 1
print(rows)
"""),
    "openpyxl": ("from openpyxl import load_workbook", """
rows = 0
for row in load_workbook(PATH, read_only=True).active.iter_rows(values_only=True):
    rows += 1
print(rows)
"""),
    "import": ("""
from app.db.session import Database
from app.db.migrate import upgrade
from app.domain.accounts import Actor, Role
from app.services.directory.imports import import_subjects
db = Database(DB_URL)
clerk = Actor("bench", "基准测试", frozenset({Role.CLERK}))
upgrade(db.engine)
""", """
result = import_subjects(db, clerk, PATH)
assert result.committed, result.summary()
print(result.imported)
"""),
}


def run_child(name: str, db_url: str = "") -> tuple[float, float]:
    """(seconds, peak resident MB) of one measurement in its own process.  The peak adds the
    process's own and its largest child's (the import reads a large file in a second process),
    an upper bound on what both held at once."""
    setup, operation = CHILD[name]
    code = (f"import resource, sys, time\nsys.path.insert(0, {str(ROOT)!r})\nPATH = {str(WORKBOOK)!r}\n"
            f"DB_URL = {db_url!r}\n{setup}\nstarted = time.perf_counter()\n{operation}\n"
            "print('SECONDS', time.perf_counter() - started)\n"
            "print('PEAK', (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"
            " + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{name} 失败：{out.stderr}")
    values = dict(line.split(" ", 1) for line in out.stdout.splitlines() if line.startswith(("SECONDS", "PEAK")))
    return float(values["SECONDS"]), float(values["PEAK"])


def measure_filters(db_url: str) -> list[tuple[str, float, float]]:
    sys.path.insert(0, str(ROOT))
    from app.db.session import Database
    from app.services.directory.subject_query import SubjectFilter, count_subjects, fetch_subjects

    db = Database(db_url)
    cases = [
        ("按区域", SubjectFilter(regions=("河口镇",))),
        ("按区域和风险", SubjectFilter(regions=("河口镇",), risk_classes=("C", "D"))),
        ("按名称片段", SubjectFilter(text="第12345号")),
        ("按代码开头", SubjectFilter(text="91411000")),
        ("按行业、重点监管", SubjectFilter(industries=("制造业",), flags=("key_supervision",))),
        ("按标签", SubjectFilter(tags=("食品经营",))),
        ("按成立日期倒序（排序）", SubjectFilter()),
    ]
    results = []
    for label, flt in cases:
        sort = "established_on" if "排序" in label else "name"
        started = time.perf_counter()
        fetch_subjects(db, flt, sort, sort == "established_on", 0, 200)
        first_page = time.perf_counter() - started
        started = time.perf_counter()
        count_subjects(db, flt)
        results.append((label, first_page, time.perf_counter() - started))
    db.dispose()
    return results


def main() -> None:
    CACHE.mkdir(exist_ok=True)
    if not WORKBOOK.exists():
        print(f"正在生成 {ROWS:,} 行的测试名录（只需一次）…", flush=True)
        generate()
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{folder}/bench.sqlite3"
        a = run_child("calamine")
        b = run_child("import", db_url)
        c = run_child("openpyxl")
        filters = measure_filters(db_url)
    print(f"文件：{WORKBOOK.name}（{WORKBOOK.stat().st_size / 2**20:.0f} MB，{ROWS:,} 行）")
    print(f"(a) python-calamine 读取（下限）：{a[0]:6.1f} 秒，峰值内存 {a[1]:6.0f} MB")
    print(f"(b) 本程序完整导入 SQLite：      {b[0]:6.1f} 秒，峰值内存 {b[1]:6.0f} MB")
    print(f"(c) openpyxl 只读读取：          {c[0]:6.1f} 秒，峰值内存 {c[1]:6.0f} MB")
    print(f"b/a = {b[0] / a[0]:.2f}（目标 ≤ 2.0）；c/b = {c[0] / b[0]:.2f}；b 峰值内存目标 ≤ 1024 MB")
    print("50 万户名录上的筛选（首屏 200 行 / 计数）：")
    for label, first_page, count in filters:
        print(f"  {label}：首屏 {first_page * 1000:6.0f} 毫秒，计数 {count * 1000:6.0f} 毫秒")
    worst = max(first_page for _, first_page, _ in filters)
    print(f"首屏最慢 {worst * 1000:.0f} 毫秒（目标 ≤ 300 毫秒）")
    print(json.dumps({"a": a, "b": b, "c": c, "b_over_a": b[0] / a[0], "c_over_b": c[0] / b[0],
                      "worst_first_page_ms": worst * 1000}))


if __name__ == "__main__":
    main()
