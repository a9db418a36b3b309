"""Publications: created from what must be published, each with its working-day deadline;
marked published by the clerk; listed by how they stand (逾期 / 即将到期 / 待公示)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import Department, Inspection, Plan, Publication, Subject, Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.publication import PublicationKind, PublicationState, state_of
from app.domain.workdays import WorkdayCalendar
from app.services.system import audit
from app.services.system import settings
from app.services.accounts import require
from app.services.errors import UserError
from app.services.publication.calendar import load_calendar
from app.services.publication.deadlines import recompute_deadlines
from app.services.publication.rules import MAX_DAYS, PublicationRules, load_rules
from app.services.publication.sources import CASE_OPENED, Source, all_sources

PLAN_PUBLISHED = "已公示"
FROM_PLAN_PAGE = "（计划页登记的公示日期）"
SYNCED_KINDS = (PublicationKind.PLAN, PublicationKind.DRAWN_LIST, PublicationKind.RESULT)


def _sync_once(session: Session, rules: PublicationRules, calendar: WorkdayCalendar) -> None:
    wanted = {s.key: s for s in all_sources(session) if s.kind in rules.required}
    rows = session.execute(select(Publication.id, Publication.source_key, Publication.published_on,
                                  Publication.counted_from, Publication.department_id)
                           .where(Publication.kind.in_([k.value for k in SYNCED_KINDS])))
    existing, gone, moved = set(), [], []
    for pid, key, published_on, counted_from, department_id in rows:
        existing.add(key)
        if published_on is not None:
            continue
        source = wanted.get(key)
        if source is None:  # plan returned, draw abandoned, result reopened, kind switched off
            gone.append(pid)
        elif (counted_from, department_id) != (source.counted_from, source.department_id):
            moved.append({"id": pid, "counted_from": source.counted_from, "department_id": source.department_id})
    if gone:
        session.execute(delete(Publication).where(Publication.id.in_(gone)))
    if moved:
        session.execute(update(Publication), moved)
    session.add_all(_new(source, rules, calendar) for key, source in wanted.items() if key not in existing)
    session.flush()
    _take_plan_page_dates(session)
    recompute_deadlines(session, calendar)


def _new(source: Source, rules: PublicationRules, calendar: WorkdayCalendar) -> Publication:
    days = rules.days(source.kind)
    return Publication(
        kind=source.kind.value, source_key=source.key, department_id=source.department_id,
        plan_id=source.plan_id, task_id=source.task_id, inspection_id=source.inspection_id,
        counted_from=source.counted_from, working_days=days,
        due_on=calendar.add_working_days(source.counted_from, days).due, where="", published_by="", note="")


def _take_plan_page_dates(session: Session) -> None:
    """A 公示日期 typed on the plans page marks the plan's item published."""
    rows = session.execute(
        select(Publication, Plan.published_on).join(Plan, Plan.id == Publication.plan_id)
        .where(Publication.kind == PublicationKind.PLAN.value, Publication.published_on.is_(None),
               Plan.published_on.is_not(None)))
    for row, published_on in rows:
        row.published_on, row.where = published_on, FROM_PLAN_PAGE


def sync(db: Database) -> None:
    """Bring the items in line with plans, draws and results. Two PCs may run it at once:
    the unique source key stops a duplicate, and the loser simply tries again."""
    for attempt in range(2):
        try:
            with db.session() as session:
                _sync_once(session, load_rules(session), load_calendar(session))
            return
        except IntegrityError:
            if attempt:
                raise


@dataclass(frozen=True)
class DueItem:
    """One line of the 公示 list: a single item, or a task's results due the same day."""

    ids: tuple[int, ...]
    kind: str
    department: str
    title: str
    task_id: int | None
    counted_from: date
    due_on: date
    working_days: int
    state: PublicationState
    working_days_left: int  # working days in (today, due]; negative: working days overdue
    warning: str
    published_on: date | None = None
    where: str = ""


def _titles(session: Session, rows: list) -> dict[int, str]:
    plans = {p.id: p for p in session.scalars(select(Plan).where(Plan.id.in_({r.plan_id for r in rows if r.plan_id})))}
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_({r.task_id for r in rows if r.task_id})))}
    subjects = dict(session.execute(
        select(Inspection.id, Subject.name).join(Subject, Subject.id == Inspection.subject_id)
        .where(Inspection.id.in_({r.inspection_id for r in rows if r.inspection_id}))).all())
    titles = {}
    for row in rows:
        if row.kind == PublicationKind.PLAN:
            titles[row.id] = plans[row.plan_id].name
        else:
            task = tasks[row.task_id]
            titles[row.id] = f"{task.number or '（无编号）'}“{task.name}”"
            if row.inspection_id:
                titles[row.id] += f"：{subjects.get(row.inspection_id, '')}"
    return titles


def _item(rows: list, title: str, department: str, calendar: WorkdayCalendar, today: date) -> DueItem:
    first = rows[0]
    left = calendar.working_days_between(today, first.due_on)
    state = state_of(first.due_on, first.published_on, today, left)
    deadline = calendar.add_working_days(first.counted_from, first.working_days)
    return DueItem(tuple(r.id for r in rows), first.kind, department, title, first.task_id, first.counted_from,
                   first.due_on, first.working_days, state, left, deadline.warning, first.published_on, first.where)


def items(db: Database, today: date | None = None, *, include_published: bool = False,
          task_id: int | None = None) -> list[DueItem]:
    """Every item (not yet published unless asked), by due date. A task's results that fall
    due the same day are one line ("12 户"), as they are published together."""
    today = today or date.today()
    sync(db)
    with db.session() as session:
        required = load_rules(session).required
        calendar = load_calendar(session)
        stmt = select(Publication.id, Publication.kind, Publication.department_id, Publication.plan_id,
                      Publication.task_id, Publication.inspection_id, Publication.counted_from,
                      Publication.working_days, Publication.due_on, Publication.published_on, Publication.where
                      ).order_by(Publication.due_on, Publication.id)
        if not include_published:
            stmt = stmt.where(Publication.published_on.is_(None))
        if task_id is not None:
            stmt = stmt.where(Publication.task_id == task_id)
        rows = [r for r in session.execute(stmt) if r.kind in required or r.published_on]
        departments = dict(session.execute(select(Department.id, Department.name)).all())
        groups: dict[tuple, list] = defaultdict(list)
        for row in rows:
            if row.kind == PublicationKind.RESULT:
                groups[(row.kind, row.task_id, row.due_on, row.published_on, row.where)].append(row)
            else:
                groups[(row.id,)].append(row)
        titles = _titles(session, [group[0] for group in groups.values()])
        result = []
        for group in groups.values():
            first = group[0]
            title = titles[first.id]
            if first.kind == PublicationKind.RESULT and len(group) > 1:
                title = title.split("：")[0] + f"（{len(group)} 户）"
            result.append(_item(group, title, departments.get(first.department_id, "（未指定部门）"), calendar, today))
        return sorted(result, key=lambda i: (i.due_on, i.department, i.ids))


def due(db: Database, today: date | None = None) -> dict[PublicationState, list[DueItem]]:
    """What the 概览 page and ``publish due`` show: overdue, due within 3 working days, upcoming."""
    grouped: dict[PublicationState, list[DueItem]] = {
        PublicationState.OVERDUE: [], PublicationState.DUE_SOON: [], PublicationState.UPCOMING: []}
    for item in items(db, today):
        grouped[item.state].append(item)
    return grouped


def mark_published(db: Database, actor: Actor, ids: list[int] | tuple[int, ...], on: date, where: str,
                   today: date | None = None) -> int:
    """The clerk published these items on ``on`` at ``where`` (platform name or web address)."""
    require(actor, Role.CLERK, Role.ADMIN)
    where = where.strip()
    today = today or date.today()
    if not where:
        raise UserError("请填写公示渠道：平台名称或网站地址。")
    if len(where) > 200:
        raise UserError("公示渠道不能超过 200 个字。")
    if on > today:
        raise UserError(f"公示日期 {on} 晚于今天，请核对。")
    if not ids:
        raise UserError("没有选择要标记的公示事项。")
    with db.session() as session:
        rows = list(session.scalars(select(Publication).where(Publication.id.in_(ids))))
        missing = set(ids) - {r.id for r in rows}
        if missing:
            raise UserError(f"公示事项 {', '.join(map(str, sorted(missing)))} 不存在，请刷新后重试。")
        for row in rows:
            if row.published_on is not None:
                raise UserError(f"公示事项 {row.id}（{row.kind}）已于 {row.published_on} 标记为已公示。")
            if on < row.counted_from:
                raise UserError(f"公示日期 {on} 早于公示事项 {row.id}（{row.kind}）的起算日 {row.counted_from}。")
            row.published_on, row.where, row.published_by = on, where, actor.name
            if row.kind == PublicationKind.PLAN:
                plan = session.get(Plan, row.plan_id)
                if plan.published_on is None:
                    plan.published_on, plan.status = on, PLAN_PUBLISHED
        audit.record(session, actor, "标记已公示", "publication", ",".join(str(r.id) for r in rows),
                     {"种类": sorted({r.kind for r in rows}), "公示日期": on, "渠道": where,
                      "逾期": [r.id for r in rows if on > r.due_on]})
    return len(rows)


def record_penalty_decision(db: Database, actor: Actor, inspection_id: int, decided_on: date) -> int:
    """行政处罚 information must be published within 7 working days of the decision; the
    inspection's follow-up must be 立案查处. Returns the item's id."""
    require(actor, Role.CLERK)
    with db.session() as session:
        inspection = session.get(Inspection, inspection_id)
        if inspection is None:
            raise UserError(f"检查记录 {inspection_id} 不存在。")
        if CASE_OPENED not in inspection.handling:  # 后续处置 may name several, joined by 、
            raise UserError(f"该检查的后续处置是“{inspection.handling or '未填写'}”，只有“立案查处”才有行政处罚信息要公示。")
        if inspection.inspected_on and decided_on < inspection.inspected_on:
            raise UserError(f"处罚决定日期 {decided_on} 早于检查日期 {inspection.inspected_on}。")
        key = f"{PublicationKind.PENALTY.value}:{inspection_id}"
        row = session.scalar(select(Publication).where(Publication.source_key == key))
        if row is not None and row.published_on is not None:
            raise UserError(f"该行政处罚信息已于 {row.published_on} 公示，不能再改决定日期。")
        task = session.get(Task, inspection.task_id)
        if row is None:
            rules, calendar = load_rules(session), load_calendar(session)
            row = _new(Source(PublicationKind.PENALTY, key, decided_on, task.initiating_department_id,
                              plan_id=task.plan_id, task_id=task.id, inspection_id=inspection_id), rules, calendar)
            session.add(row)
        row.counted_from = decided_on
        row.due_on = load_calendar(session).add_working_days(decided_on, row.working_days).due
        session.flush()
        audit.record(session, actor, "登记处罚决定", "publication", row.id,
                     {"检查": inspection_id, "决定日期": decided_on, "公示期限": row.due_on})
        return row.id


def save_rules(db: Database, actor: Actor, working_days: dict[str, int], required: list[str]) -> None:
    """Change the deadlines and the kinds that must be published; unpublished items move with them."""
    require(actor, Role.ADMIN)
    problems = []
    for kind in PublicationKind:
        value = working_days.get(kind.value)
        if not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
            problems.append(f"“{kind.value}”的公示时限应为 1 到 {MAX_DAYS} 个工作日，收到“{value}”。")
    unknown = [k for k in required if k not in PublicationKind._value2member_map_]
    if unknown:
        problems.append(f"未知的公示种类：{'、'.join(unknown)}。")
    if problems:
        raise UserError("\n".join(problems))
    settings.save_settings(db, actor, {
        settings.PUBLICATION_WORKING_DAYS: {k.value: working_days[k.value] for k in PublicationKind},
        settings.PUBLICATION_KINDS: [k.value for k in PublicationKind if k.value in required],
    })
    sync(db)
