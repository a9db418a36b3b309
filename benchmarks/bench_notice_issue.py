"""Issuing and printing 1,000 检查结果告知书 from stored results, and the 一次一档 of that task (issue 12).

    python benchmarks/bench_notice_issue.py [N]

Set-up (not timed): the sample county with N subjects drawn into one task through the draw service,
each result entered, submitted (经办人) and approved (审核人) through the inspection services.
Timed: issuing (numbers in one transaction, text from the results, rendering, QR, storing each file
in the database), printing the combined .docx from the stored files, and exporting the archive.
Targets: issue + print ≤ 3 s; archive ≤ 10 s. Baseline, measured in the same run: the render-only
figure of benchmarks/bench_notices.py — the same template filled for N notices by DocxForm.render_batch.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, update

from app.db.migrate import upgrade
from app.db.models import Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.inspection import ItemOutcome, Outcome
from app.services.demo import county as demo
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from app.services.inspection import entry, records
from app.services.notices import archive, issue
from app.services.rulebooks.templates import template_store

ISSUE_TARGET, ARCHIVE_TARGET = 3.0, 10.0
TODAY = date(2026, 11, 23)
CLERK = Actor("clerk", "李经办", frozenset({Role.CLERK}))
REVIEWER = Actor("reviewer", "陈审核", frozenset({Role.REVIEWER}))


def build(db: Database, n: int, work: Path) -> int:
    demo.create_demo(db, CLERK, subjects=max(3 * n, 400), today=TODAY)
    with db.session() as session:
        task_id = session.scalars(select(Task.id).where(Task.name.contains("食品销售经营者"))).one()
        session.execute(update(Task).where(Task.id == task_id).values(quota_count=n, scope={}))
    draws.run_draw(db, CLERK, task_id, [Witness("张纪检", "纪检组", "01234567890123456789")], "", work / "包", today=TODAY)
    rows = records.list_inspections(db, task_id)
    for row in rows:
        detail = records.get_inspection(db, row.id)
        entry.save_result(db, CLERK, row.id, Outcome(inspected_on=date(2026, 11, 26), methods=("实地检查",),
                                                     items=tuple(ItemOutcome(i.check_item_id) for i in detail.items)))
    ids = [r.id for r in rows]
    entry.submit(db, CLERK, ids)
    entry.approve(db, REVIEWER, ids)
    return task_id


def main(n: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = Database(f"sqlite:///{(work / 'bench.sqlite3').as_posix()}")
        upgrade(db.engine)
        started = time.perf_counter()
        task_id = build(db, n, work)
        print(f"准备：示例县抽取 {n} 户并录入、审核通过 {time.perf_counter() - started:.1f} s（不计时）")

        t = time.perf_counter()
        issued = issue.issue_notices(db, CLERK, task_id, today=date(2026, 11, 30))
        issuing = time.perf_counter() - t
        t = time.perf_counter()
        issue.print_notices(db, task_id, work / "告知书.docx")
        printing = time.perf_counter() - t

        contexts = [dict(zip(("文号",), (d.number,))) for d in issued]
        form = template_store().load("notice")
        files = issue.notice_files(db, task_id)
        t = time.perf_counter()
        form.render_batch([{**c, "核验二维码": d.qr_text, "被检查单位": d.subject} for c, d in zip(contexts, issued)],
                          work / "render_only.docx")
        render_only = time.perf_counter() - t

        t = time.perf_counter()
        result = archive.export_archive(db, task_id, work / "档案")
        archiving = time.perf_counter() - t
        db.dispose()

    total = issuing + printing
    print(f"出具 {len(issued)} 份告知书（编号、填写、二维码、逐份文件存入数据库） {issuing:8.3f} s"
          f"（每份 {issuing / n * 1000:.2f} ms）")
    print(f"打印：由已存文件合并为一个 .docx                    {printing:8.3f} s")
    print(f"出具 + 打印                                      {total:8.3f} s   目标 ≤ {ISSUE_TARGET:.0f} s："
          + ("达到" if total <= ISSUE_TARGET else "未达到"))
    print(f"基准：同一模板仅渲染 {n} 份（DocxForm.render_batch）    {render_only:8.3f} s")
    print(f"出具 + 打印 / 仅渲染                               {total / render_only:8.2f} 倍")
    print(f"一次一档：{result.inspections} 户、{result.files} 个文件、manifest 与 zip {archiving:8.3f} s   目标 ≤ "
          f"{ARCHIVE_TARGET:.0f} s：" + ("达到" if archiving <= ARCHIVE_TARGET else "未达到"))
    print(f"（单份告知书文件约 {len(files[0][1]) / 1024:.0f} KB）")
    return 0 if total <= ISSUE_TARGET and archiving <= ARCHIVE_TARGET else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
