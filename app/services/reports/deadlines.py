"""Which reports to the county 双随机办 are due, and registering them as sent (报送).

A department owes reports from the month its first draw in this program was completed (a task it
initiated or joined): the
月报表 of each month by the 20th of the next, the quarter's 落实情况 by 4月5日, 7月1日 and 10月8日,
the year's by 12月20日. The 概览 page lists, per report, the departments that have not registered
it as sent: those overdue, and those falling due within the next month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.db.models import Department, Draw, ReportFiling, Task, task_participants
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.publication import PublicationState
from app.domain.report_deadlines import ReportKind, ReportPeriod, periods_between
from app.domain.statuses import DrawStatus
from app.services.accounts import require
from app.services.errors import UserError
from app.services.system import audit
from app.services.system.settings import department_named

LOOK_AHEAD_DAYS = 31  # the next month's reports are listed as 待报送
DUE_SOON_DAYS = 5  # amber, as the 公示 list's 即将到期


@dataclass(frozen=True)
class ReportDue:
    """One report and the departments that still owe it."""

    period: ReportPeriod
    departments: tuple[tuple[int, str], ...]  # (id, name), in the settings' order
    state: PublicationState  # 已逾期 / 即将到期 / 待公示 (here: 待报送)
    days_left: int  # calendar days until the due date; negative: days overdue

    @property
    def state_text(self) -> str:
        if self.state is PublicationState.OVERDUE:
            return f"已逾期·{-self.days_left} 天"
        if self.state is PublicationState.DUE_SOON:
            return "今天到期" if self.days_left == 0 else f"即将到期·还有 {self.days_left} 天"
        return f"待报送·还有 {self.days_left} 天"


def _state(days_left: int) -> PublicationState:
    if days_left < 0:
        return PublicationState.OVERDUE
    return PublicationState.DUE_SOON if days_left <= DUE_SOON_DAYS else PublicationState.UPCOMING


def reports_due(db: Database, today: date | None = None) -> list[ReportDue]:
    """The reports not yet registered as sent, overdue first, then by due date."""
    today = today or date.today()
    with db.session() as session:
        started: dict[int, datetime] = {}
        finished = (select(Draw.task_id, Draw.finished_at)
                    .where(Draw.status == DrawStatus.FINISHED, Draw.finished_at.is_not(None)).subquery())
        for department, first in session.execute(
                select(Task.initiating_department_id, func.min(finished.c.finished_at))
                .join(finished, finished.c.task_id == Task.id).group_by(Task.initiating_department_id)
                .union_all(select(task_participants.c.department_id, func.min(finished.c.finished_at))
                           .join(finished, finished.c.task_id == task_participants.c.task_id)
                           .group_by(task_participants.c.department_id))):
            started[department] = min(first, started.get(department, first))
        departments = session.execute(select(Department.id, Department.name).where(
            Department.active.is_(True), Department.id.in_(started)).order_by(Department.id)).all()
        filed = set(session.execute(select(ReportFiling.kind, ReportFiling.department_id, ReportFiling.year,
                                           ReportFiling.period)).all())
    owed: dict[ReportPeriod, list[tuple[int, str]]] = {}
    for department_id, name in departments:
        for period in periods_between(started[department_id].date(), today + timedelta(days=LOOK_AHEAD_DAYS)):
            if (period.kind.value, department_id, period.year, period.period) not in filed:
                owed.setdefault(period, []).append((department_id, name))
    return [ReportDue(p, tuple(names), _state((p.due_on - today).days), (p.due_on - today).days)
            for p, names in sorted(owed.items())]


def mark_filed(db: Database, actor: Actor, kind: str, year: int, period: int, department_ids: list[int],
               on: date, today: date | None = None) -> int:
    """These departments sent the report on ``on``; returns how many were registered."""
    require(actor, Role.CLERK, Role.ADMIN)
    today = today or date.today()
    try:
        kind = ReportKind(kind)
    except ValueError:
        raise UserError(f"没有“{kind}”这种报表。") from None
    valid = {ReportKind.MONTHLY: range(1, 13), ReportKind.QUARTERLY: range(1, 4), ReportKind.ANNUAL: range(0, 1)}
    if period not in valid[kind]:
        raise UserError(f"{kind.value}的期别应为" + {ReportKind.MONTHLY: "月份 1–12", ReportKind.QUARTERLY: "季度 1–3",
                                                  ReportKind.ANNUAL: "0（全年）"}[kind] + f"，不是 {period}。")
    if on > today:
        raise UserError(f"报送日期 {on} 晚于今天，请核对。")
    if not department_ids:
        raise UserError("请选择已报送的部门。")
    try:
        with db.session() as session:
            names = dict(session.execute(select(Department.id, Department.name)
                                         .where(Department.id.in_(department_ids))).all())
            missing = set(department_ids) - set(names)
            if missing:
                raise UserError(f"部门 {', '.join(map(str, sorted(missing)))} 不存在，请刷新后重试。")
            for department_id in department_ids:
                session.add(ReportFiling(kind=kind.value, department_id=department_id, year=year, period=period,
                                         filed_on=on, filed_by=actor.name))
            session.flush()
            audit.record(session, actor, "登记报表已报送", "report_filing", f"{kind.value} {year}-{period}",
                         {"部门": [names[d] for d in department_ids], "报送日期": on})
    except IntegrityError as exc:
        raise UserError("其中有部门的这份报表已登记为已报送（可能是另一台电脑刚刚登记），请刷新后重试。") from exc
    return len(department_ids)


def department_ids(db: Database, names: list[str]) -> list[int]:
    """The ids of departments given by their full names (for the command line)."""
    with db.session() as session:
        return [department_named(session, name).id for name in names]
