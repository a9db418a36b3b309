"""A year with one task drawn and results in every state: what the statistics tests start from."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.db.models import Department, Draw, Inspection, Publication, Subject, Task
from app.domain.inspection import NO_PROBLEM, FollowUp, InspectionStatus, ItemOutcome, Outcome
from app.domain.publication import PublicationKind
from app.services.inspection import entry, records
from app.services.publication import publications
from app.services.reports.statistics import NO_REGION
from tests.actors import CLERK, REVIEWER
from tests.integration.inspection_county import draw_task, task_named

PLATFORM = "国家企业信用信息公示系统（海南）"
PROBLEM = "发现问题已责令改正"


def _enter(db, inspection_id: int, day, kind: int) -> None:
    """Four kinds of result: no problem; 责令改正; 移送 (closed later); not yet entered."""
    detail = records.get_inspection(db, inspection_id)
    items = tuple(ItemOutcome(i.check_item_id) for i in detail.items)
    if kind == 0:
        outcome = Outcome(inspected_on=day, methods=("实地检查",), items=items)
    elif kind == 1:
        outcome = Outcome(inspected_on=day, methods=("实地检查",), items=items, categories=(PROBLEM,),
                          follow_ups=(FollowUp.RECTIFY.value,), rectify_by=day + timedelta(days=10))
    else:
        outcome = Outcome(inspected_on=day, methods=("书面检查",), items=items, categories=("发现问题待后续处理",),
                          follow_ups=(FollowUp.TRANSFER.value,), handed_to="县应急管理局", handed_on=day)
    entry.save_result(db, CLERK, inspection_id, outcome)


def year_with_results(db, folder) -> int:
    """Draw 食品销售经营者 and enter results in every state; the plan's year."""
    task_id = task_named(db, "食品销售经营者")
    draw_task(db, task_id, folder)
    with db.session() as session:
        task = session.get(Task, task_id)
        day, year = task.starts_on, task.plan.year
    rows = records.list_inspections(db, task_id)
    entered = [r.id for r in rows[: max(4, len(rows) - 2)]]  # the last two stay unentered
    for n, inspection_id in enumerate(entered):
        _enter(db, inspection_id, day, n % 3)
    entry.submit(db, CLERK, entered)
    entry.approve(db, REVIEWER, entered[:-1])  # one waits for review: inspected but not published
    transfer = next(i for n, i in enumerate(entered[:-1]) if n % 3 == 2)
    entry.close_follow_up(db, CLERK, transfer, day + timedelta(days=3))
    publications.sync(db)
    with db.session() as session:
        ids = list(session.scalars(select(Publication.id).where(Publication.kind == PublicationKind.RESULT)))
    publications.mark_published(db, CLERK, ids[:-1], day + timedelta(days=5), PLATFORM)  # one still unpublished
    return year


def independent(db, year):
    """Each inspection of the year as a plain tuple, read one by one and classified here."""
    with db.session() as session:
        published = set(session.scalars(select(Publication.inspection_id).where(
            Publication.kind == PublicationKind.RESULT, Publication.published_on.is_not(None))))
        out = []
        for i in session.scalars(select(Inspection)):
            task = session.get(Task, i.task_id)
            if task.plan.year != year or i.status == InspectionStatus.REPLACED:
                continue
            follow = bool(i.follow_ups) and list(i.follow_ups) != [FollowUp.NONE.value]
            out.append({
                "month": session.get(Draw, i.draw_id).finished_at.month,
                "department": session.get(Department, task.initiating_department_id).name,
                "region": session.get(Subject, i.subject_id).region or NO_REGION,
                "category": "、".join(i.categories) if i.inspected_on else None,
                "figures": (1, int(i.inspected_on is not None), int(i.id in published),
                            int(i.inspected_on is not None and list(i.categories) != [NO_PROBLEM]),
                            int(follow), int(follow and i.closed_on is not None), int(bool(i.handed_to))),
            })
        return out


def total_of(rows):
    return tuple(sum(col) for col in zip(*(r["figures"] for r in rows))) if rows else (0,) * 7
