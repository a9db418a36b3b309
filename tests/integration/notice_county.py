"""A drawn task whose results are entered, submitted and approved: what the notice tests start from."""

from __future__ import annotations

from datetime import date

from app.db.session import Database
from app.domain.inspection import FollowUp, ItemOutcome, Outcome
from app.services.inspection import entry, records
from tests.actors import CLERK, REVIEWER
from tests.integration.inspection_county import demo_county, draw_task, task_named

INSPECTED = date(2026, 11, 26)
ISSUED = date(2026, 11, 30)


def outcome(detail: records.InspectionDetail, problem: bool) -> Outcome:
    if not problem:
        return Outcome(inspected_on=INSPECTED, methods=("实地检查",),
                       items=tuple(ItemOutcome(i.check_item_id) for i in detail.items))
    first, *rest = detail.items
    return Outcome(
        inspected_on=INSPECTED, methods=("实地检查", "书面检查"),
        items=(ItemOutcome(first.check_item_id, "冷藏柜温度 12℃，超过标示温度", "发现问题已责令改正", "当场责令整改"),
               *(ItemOutcome(i.check_item_id) for i in rest)),
        categories=("发现问题已责令改正",), follow_ups=(FollowUp.RECTIFY.value,), rectify_by=date(2026, 12, 10))


def approved_task(db: Database, folder, approve: int | None = None) -> tuple[int, list[int]]:
    """Draw the sample county's food-sales task; enter every result (every third with a problem), submit
    as CLERK, approve ``approve`` of them (all by default) as REVIEWER. Returns (task id, approved ids)."""
    demo_county(db)
    task_id = task_named(db, "食品销售经营者")
    draw_task(db, task_id, folder)
    rows = records.list_inspections(db, task_id)
    for n, row in enumerate(rows):
        entry.save_result(db, CLERK, row.id, outcome(records.get_inspection(db, row.id), n % 3 == 1))
    ids = [r.id for r in rows]
    entry.submit(db, CLERK, ids)
    chosen = ids[:approve] if approve is not None else ids
    entry.approve(db, REVIEWER, chosen)
    return task_id, chosen
