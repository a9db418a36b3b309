"""A year's statistics for leaders (PRODUCT.md §2 I): by month, department, region and result category.

An inspection belongs to the year of its plan (as the yearly cap counts it) and to the month its
draw was completed; a replaced subject is not counted. Per group:

- 抽取: subjects drawn; 已检查: with an inspection date;
- 完成率 = results published (a 检查结果 公示 with a publication date) ÷ subjects drawn;
- 问题率 = inspected whose 检查结果 is not only 未发现问题 ÷ inspected;
- 后续处置: with a follow-up other than 无需后续处置; 完结率 = of those, closed ÷ with follow-up;
- 移送: handed to another department.

Every figure is one SQL aggregate with GROUP BY over the inspections (no loop over rows), so a
county with a million inspections answers in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, extract, func, not_, select
from sqlalchemy.orm import Session

from app.db.models import CheckItem, Department, Draw, Inspection, Plan, Publication, Subject, Task, task_items
from app.db.session import Database
from app.domain.inspection import NO_PROBLEM, FollowUp, InspectionStatus
from app.domain.publication import PublicationKind
from app.domain.risk import YearlyCap
from app.services.errors import UserError
from app.services.planning.population import key_subject_condition, times_drawn_query
from app.services.system.settings import read_yearly_cap

NOT_ENTERED = "未录入"
NO_REGION = "（未填区域）"


@dataclass(frozen=True)
class StatRow:
    key: str
    drawn: int = 0
    inspected: int = 0
    published: int = 0
    problems: int = 0
    follow_ups: int = 0
    closed: int = 0
    handed: int = 0

    @property
    def completion(self) -> float | None:
        """完成率: results published ÷ subjects drawn."""
        return self.published / self.drawn if self.drawn else None

    @property
    def problem_rate(self) -> float | None:
        return self.problems / self.inspected if self.inspected else None

    @property
    def closure(self) -> float | None:
        """完结率: closed ÷ with follow-up."""
        return self.closed / self.follow_ups if self.follow_ups else None


@dataclass(frozen=True)
class CategoryMonth:
    month: int
    category: str
    count: int


@dataclass(frozen=True)
class OverCap:
    code: str
    name: str
    risk_class: str
    times: int


@dataclass(frozen=True)
class YearStatistics:
    year: int
    total: StatRow
    by_month: tuple[StatRow, ...]  # key "1".."12", every month present
    by_department: tuple[StatRow, ...]
    by_region: tuple[StatRow, ...]
    by_category: tuple[StatRow, ...]  # inspected subjects by 检查结果 as printed
    category_months: tuple[CategoryMonth, ...]  # inspected by month and 检查结果 (the stacked chart)
    cap: YearlyCap
    over_cap: tuple[OverCap, ...]  # subjects drawn more often than the yearly cap allows
    enabled_items: int
    covered_items: int  # enabled items used by the year's tasks

    @property
    def coverage(self) -> float | None:
        return self.covered_items / self.enabled_items if self.enabled_items else None


def _measures():
    inspected = Inspection.inspected_on.is_not(None)
    problem = and_(inspected, Inspection.result_category != "", Inspection.result_category != NO_PROBLEM)
    follow = and_(Inspection.handling != "", Inspection.handling != FollowUp.NONE.value)

    def total(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return (func.count(), func.count(Inspection.inspected_on), total(problem), total(follow),
            total(and_(follow, Inspection.closed_on.is_not(None))), total(Inspection.handed_to != ""))


def _base(select_stmt, year: int):
    return (select_stmt.join(Task, Task.id == Inspection.task_id).join(Plan, Plan.id == Task.plan_id)
            .join(Draw, Draw.id == Inspection.draw_id)
            .where(Plan.year == year, Inspection.status != InspectionStatus.REPLACED))


def _grouped(session: Session, year: int, key, joins=(), where=()) -> list[StatRow]:
    """Two aggregates by ``key``: over the inspections, and over their published 检查结果.

    The published results are counted from the publications' side (joined to the inspection by
    its primary key), which needs no index on publications.inspection_id; each inspection has
    at most one 检查结果 publication (source_key "检查结果:<id>" is unique).
    """
    figures = _base(select(key.label("key"), *_measures()).select_from(Inspection), year).where(*where)
    published = _base(select(key.label("key"), func.count()).select_from(Publication)
                      .join(Inspection, Inspection.id == Publication.inspection_id), year).where(
        Publication.kind == PublicationKind.RESULT, Publication.published_on.is_not(None), *where)
    for target, on in joins:
        figures, published = figures.join(target, on), published.join(target, on)
    counts = dict(session.execute(published.group_by(key)).all())
    return [StatRow("" if r[0] is None else str(r[0]), r[1], r[2], int(counts.get(r[0], 0)),
                    *(int(v) for v in r[3:]))
            for r in session.execute(figures.group_by(key).order_by(key)).all()]


def _month_key():
    return func.coalesce(extract("month", Draw.finished_at), 0)


def _category_key():
    return case((Inspection.inspected_on.is_(None), NOT_ENTERED),
                else_=func.coalesce(func.nullif(Inspection.result_category, ""), NOT_ENTERED))


def _by_draw(session: Session, year: int) -> tuple[dict[tuple[int, str], list[int]], dict[int, tuple[int, str]]]:
    """The figures per (draw, 检查结果) — two aggregates over the inspections, with no join per
    row — and each of the year's draws' (month, department): every view but the region's is a
    roll-up of these few hundred groups."""
    draws = dict((d, (int(float(m)), name)) for d, m, name in session.execute(
        select(Draw.id, _month_key(), Department.name).join(Task, Task.id == Draw.task_id)
        .join(Plan, Plan.id == Task.plan_id).join(Department, Department.id == Task.initiating_department_id)
        .where(Plan.year == year)))
    # Every draw's groups are counted and other years' dropped here: a plain scan of the table
    # is several times faster than fetching the year's rows through the draw_id index.
    # (``draw_id + 0`` keeps SQLite from walking the draw_id index, a random read per row.)
    live = Inspection.status != InspectionStatus.REPLACED
    category, draw = _category_key(), Inspection.draw_id + 0
    cells = {(r[0], r[1]): [r[2], r[3], 0, *r[4:]] for r in session.execute(
        select(draw, category, *_measures()).where(live).group_by(draw, category))
        if r[0] in draws}
    for draw_id, key, n in session.execute(
            select(draw, category, func.count()).select_from(Publication)
            .join(Inspection, Inspection.id == Publication.inspection_id)
            .where(live, Publication.kind == PublicationKind.RESULT, Publication.published_on.is_not(None))
            .group_by(draw, category)):
        if draw_id in draws:
            cells[(draw_id, key)][2] = n
    return cells, draws


def _by_region(session: Session, draw_ids: list[int]) -> tuple[StatRow, ...]:
    """By the subject's 所属区域: the inspections of the year's draws joined to their subjects."""
    if not draw_ids:
        return ()
    region = func.coalesce(func.nullif(Subject.region, ""), NO_REGION)
    rows = and_((Inspection.draw_id + 0).in_(draw_ids), Inspection.status != InspectionStatus.REPLACED)
    published = dict(session.execute(
        select(region, func.count()).select_from(Publication).join(Inspection, Inspection.id == Publication.inspection_id)
        .join(Subject, Subject.id == Inspection.subject_id)
        .where(rows, Publication.kind == PublicationKind.RESULT, Publication.published_on.is_not(None))
        .group_by(region)).all())
    return tuple(StatRow(r[0], r[1], r[2], int(published.get(r[0], 0)), *(int(v) for v in r[3:]))
                 for r in session.execute(select(region, *_measures()).select_from(Inspection)
                                          .join(Subject, Subject.id == Inspection.subject_id)
                                          .where(rows).group_by(region).order_by(region)))


def _roll_up(cells: dict[tuple[int, str], list[int]], key) -> dict:
    out: dict = {}
    for (draw_id, category), figures in cells.items():
        k = key(draw_id, category)
        if k is not None:
            out[k] = [a + b for a, b in zip(out.get(k, [0] * 7), figures)]
    return out


def year_statistics(db: Database, year: int) -> YearStatistics:
    if not 2000 <= year <= 2100:
        raise UserError(f"年份不对：{year}。")
    with db.session() as session:
        cells, draws = _by_draw(session, year)
        total = _roll_up(cells, lambda d, c: "全年").get("全年", [0] * 7)
        months = _roll_up(cells, lambda d, c: draws[d][0])
        by_month = tuple(StatRow(str(m), *months.get(m, [0] * 7)) for m in range(1, 13))
        by_department = tuple(StatRow(k, *v) for k, v in sorted(_roll_up(cells, lambda d, c: draws[d][1]).items()))
        category = _roll_up(cells, lambda d, c: None if c == NOT_ENTERED else c)
        by_category = tuple(sorted((StatRow(k, *v) for k, v in category.items()), key=lambda r: (-r.drawn, r.key)))
        stacked = _roll_up(cells, lambda d, c: None if c == NOT_ENTERED else (draws[d][0], c))
        category_months = tuple(CategoryMonth(m, c, v[1]) for (m, c), v in sorted(stacked.items()))
        by_region = _by_region(session, list(draws))
        cap = read_yearly_cap(session)
        return YearStatistics(
            year, StatRow("全年", *total), by_month, by_department, by_region, by_category, category_months,
            cap, _over_cap(session, year, cap), *_coverage(session, year))


DEPARTMENT_JOIN = ((Department, Department.id == Task.initiating_department_id),)


def in_months(first: int, last: int):
    """The condition: drawn in months ``first``..``last`` of the year."""
    return _month_key().between(first, last)


def grouped(session: Session, year: int, key, where=(), joins=()) -> list[StatRow]:
    """The figures grouped by ``key`` (a column; ``literal(...)`` for one total row)."""
    return _grouped(session, year, key, joins, where)


def categories(session: Session, year: int, where=()) -> tuple[StatRow, ...]:
    """Inspected subjects by 检查结果 as printed, the most frequent first."""
    rows = [r for r in _grouped(session, year, _category_key(), where=where) if r.key != NOT_ENTERED]
    return tuple(sorted(rows, key=lambda r: (-r.drawn, r.key)))


def _over_cap(session: Session, year: int, cap: YearlyCap) -> tuple[OverCap, ...]:
    drawn = times_drawn_query(year).subquery()
    rows = session.execute(
        select(func.coalesce(Subject.credit_code, Subject.registration_no, ""), Subject.name, Subject.risk_class,
               drawn.c.times)
        .join(drawn, drawn.c.subject_id == Subject.id)
        .where(drawn.c.times > cap.times, Subject.risk_class.in_(cap.risk_classes), not_(key_subject_condition()))
        .order_by(drawn.c.times.desc(), Subject.name))
    return tuple(OverCap(*r) for r in rows)


def _coverage(session: Session, year: int) -> tuple[int, int]:
    used = (select(task_items.c.check_item_id).join(Task, Task.id == task_items.c.task_id)
            .join(Plan, Plan.id == Task.plan_id).where(Plan.year == year))
    enabled = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.enabled)) or 0
    covered = session.scalar(select(func.count()).select_from(CheckItem)
                             .where(CheckItem.enabled, CheckItem.id.in_(used))) or 0
    return enabled, covered


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
