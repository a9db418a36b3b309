"""What must be published, read from plans, draws and inspections.

Each function returns plain facts; ``sync`` in publications.py turns them into items.
``REVIEWED`` is the one place that knows which inspection statuses count as a result ready to
publish: 审核通过 (the review's 可公示 state of PRODUCT.md §2 G); the completion date is
``inspected_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Department, Draw, Inspection, Plan, Task
from app.domain.inspection import InspectionStatus
from app.domain.publication import PublicationKind
from app.domain.statuses import DrawStatus

FINISHED_DRAW = DrawStatus.FINISHED
REVIEWED = (InspectionStatus.APPROVED,)
PENDING = InspectionStatus.PENDING
REPLACED = InspectionStatus.REPLACED
CASE_OPENED = "立案查处"


@dataclass(frozen=True)
class Source:
    """One item that must be published and the day its deadline counts from."""

    kind: PublicationKind
    key: str
    counted_from: date
    department_id: int | None
    plan_id: int | None = None
    task_id: int | None = None
    inspection_id: int | None = None


def _office_id(session: Session) -> int | None:
    return session.scalar(select(Department.id).where(Department.is_office).order_by(Department.id).limit(1))


def approved_plans(session: Session) -> list[Source]:
    """Each approved plan, from its approval date (a joint plan belongs to the office)."""
    office = _office_id(session)
    rows = session.execute(select(Plan.id, Plan.approved_on, Plan.department_id).where(Plan.approved_on.is_not(None)))
    return [Source(PublicationKind.PLAN, f"年度计划:{pid}", approved, dept or office, plan_id=pid)
            for pid, approved, dept in rows]


def drawn_lists(session: Session) -> list[Source]:
    """Each task's list of drawn subjects and inspectors, from the finished draw.

    A 突击检查 task's list is published only after its inspections are done: it counts from
    the last inspection date once no drawn subject is still 待检查.
    """
    rows = session.execute(
        select(Task.id, Task.plan_id, Task.initiating_department_id, Task.surprise, Draw.id, Draw.finished_at)
        .join(Draw, Draw.task_id == Task.id)
        .where(Draw.status == FINISHED_DRAW, Draw.finished_at.is_not(None)))
    sources = []
    for task_id, plan_id, dept, surprise, draw_id, finished_at in rows:
        counted_from = finished_at.date()
        if surprise:
            pending, inspected, last = session.execute(
                select(func.count().filter(Inspection.status == PENDING),
                       func.count().filter(Inspection.inspected_on.is_not(None)),
                       func.max(Inspection.inspected_on))
                .where(Inspection.draw_id == draw_id, Inspection.status != REPLACED)).one()
            if pending or not inspected or last is None:
                continue
            counted_from = max(last, counted_from)
        sources.append(Source(PublicationKind.DRAWN_LIST, f"抽取名单:{task_id}", counted_from, dept,
                              plan_id=plan_id, task_id=task_id))
    return sources


def reviewed_results(session: Session) -> list[Source]:
    """Each reviewed result, from the inspection's completion date."""
    rows = session.execute(
        select(Inspection.id, Inspection.inspected_on, Task.id, Task.plan_id, Task.initiating_department_id)
        .join(Task, Task.id == Inspection.task_id)
        .where(Inspection.status.in_(REVIEWED), Inspection.inspected_on.is_not(None)))
    return [Source(PublicationKind.RESULT, f"检查结果:{iid}", done, dept, plan_id=plan_id, task_id=task_id,
                   inspection_id=iid) for iid, done, task_id, plan_id, dept in rows]


def all_sources(session: Session) -> list[Source]:
    return [*approved_plans(session), *drawn_lists(session), *reviewed_results(session)]
