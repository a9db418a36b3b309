"""A year's statistics for leaders (PRODUCT.md §2 I): by month, department, region and result category.

An inspection belongs to the year of its plan (as the yearly cap counts it) and to the month its
draw was completed; a replaced subject is not counted. Per group:

- 抽取: subjects drawn; 已检查: with an inspection date;
- 完成率 = results published (a 检查结果 公示 with a publication date) ÷ subjects drawn;
- 问题率 = inspected whose 检查结果 is not only 未发现问题 ÷ inspected;
- 后续处置: with a follow-up other than 无需后续处置; 完结率 = of those, closed ÷ with follow-up;
- 移送: handed to another department.

Every figure is a sum over the tallies the database keeps per draw, 检查结果 and region
(app/db/models/tallies.py), grouped in SQL: a few thousand tally rows however many inspections
the county holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import extract, func, not_, select
from sqlalchemy.orm import Session

from app.db.models import CheckItem, Department, Draw, InspectionTally, Plan, Subject, SubjectYearDraws, Task, task_items
from app.db.session import Database
from app.domain.risk import YearlyCap
from app.services.errors import UserError
from app.services.planning.population import key_subject_condition
from app.services.system.settings import read_yearly_cap

NOT_ENTERED = "未录入"
#: The over-cap subjects listed by name (the most drawn first); the count covers them all.
OVER_CAP_LISTED = 1000
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
    over_cap_count: int  # subjects drawn more often than the yearly cap allows
    over_cap: tuple[OverCap, ...]  # the most drawn of them, at most OVER_CAP_LISTED
    enabled_items: int
    covered_items: int  # enabled items used by the year's tasks

    @property
    def coverage(self) -> float | None:
        return self.covered_items / self.enabled_items if self.enabled_items else None


_FIGURES = ("drawn", "inspected", "published", "problems", "follow_ups", "closed", "handed")


def _sums():
    """The seven figures of StatRow, summed over tally rows."""
    return tuple(func.coalesce(func.sum(getattr(InspectionTally, name)), 0) for name in _FIGURES)


def _year_tallies(select_stmt, year: int):
    return (select_stmt.select_from(InspectionTally).join(Draw, Draw.id == InspectionTally.draw_id)
            .join(Task, Task.id == Draw.task_id).join(Plan, Plan.id == Task.plan_id).where(Plan.year == year))


def _grouped(session: Session, year: int, key, joins=(), where=()) -> list[StatRow]:
    """The year's tallies summed by ``key``."""
    stmt = _year_tallies(select(key.label("key"), *_sums()), year).where(*where)
    for target, on in joins:
        stmt = stmt.join(target, on)
    return [StatRow("" if r[0] is None else str(r[0]), *(int(v) for v in r[1:]))
            for r in session.execute(stmt.group_by(key).order_by(key))]


def _month_key():
    return func.coalesce(extract("month", Draw.finished_at), 0)


def _by_draw(session: Session, year: int) -> tuple[dict[tuple[int, str], list[int]], dict[int, tuple[int, str]]]:
    """The figures per (draw, 检查结果) and each of the year's draws' (month, department): every view
    but the region's is a roll-up of these few hundred groups."""
    draws = dict((d, (int(float(m)), name)) for d, m, name in session.execute(
        select(Draw.id, _month_key(), Department.name).join(Task, Task.id == Draw.task_id)
        .join(Plan, Plan.id == Task.plan_id).join(Department, Department.id == Task.initiating_department_id)
        .where(Plan.year == year)))
    cells = {(r[0], r[1]): [int(v) for v in r[2:]] for r in session.execute(
        _year_tallies(select(InspectionTally.draw_id, InspectionTally.category, *_sums()), year)
        .group_by(InspectionTally.draw_id, InspectionTally.category))}
    return cells, draws


def _by_region(session: Session, year: int) -> tuple[StatRow, ...]:
    """By the subject's 所属区域 when it was drawn."""
    region = func.coalesce(func.nullif(InspectionTally.region, ""), NO_REGION)
    return tuple(StatRow(r[0], *(int(v) for v in r[1:])) for r in session.execute(
        _year_tallies(select(region, *_sums()), year).group_by(region).order_by(region)))


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
        by_region = _by_region(session, year)
        cap = read_yearly_cap(session)
        return YearStatistics(
            year, StatRow("全年", *total), by_month, by_department, by_region, by_category, category_months,
            cap, *_over_cap(session, year, cap), *_coverage(session, year))


DEPARTMENT_JOIN = ((Department, Department.id == Task.initiating_department_id),)


def in_months(first: int, last: int):
    """The condition: drawn in months ``first``..``last`` of the year."""
    return _month_key().between(first, last)


def grouped(session: Session, year: int, key, where=(), joins=()) -> list[StatRow]:
    """The figures grouped by ``key`` (a column; ``literal(...)`` for one total row)."""
    return _grouped(session, year, key, joins, where)


def categories(session: Session, year: int, where=()) -> tuple[StatRow, ...]:
    """Inspected subjects by 检查结果 as printed, the most frequent first."""
    rows = [r for r in _grouped(session, year, InspectionTally.category, where=where) if r.key != NOT_ENTERED]
    return tuple(sorted(rows, key=lambda r: (-r.drawn, r.key)))


def _over_cap(session: Session, year: int, cap: YearlyCap) -> tuple[int, tuple[OverCap, ...]]:
    """How many subjects were drawn more often than the cap allows, and the most drawn of them."""
    rows = session.execute(
        select(func.coalesce(Subject.credit_code, Subject.registration_no, ""), Subject.name, Subject.risk_class,
               SubjectYearDraws.times, func.count().over())
        .join(Subject, SubjectYearDraws.subject_id == Subject.id)
        .where(SubjectYearDraws.year == year, SubjectYearDraws.times > cap.times,
               Subject.risk_class.in_(cap.risk_classes), not_(key_subject_condition()))
        .order_by(SubjectYearDraws.times.desc(), Subject.name).limit(OVER_CAP_LISTED)).all()
    return (rows[0][-1] if rows else 0), tuple(OverCap(*r[:-1]) for r in rows)


def _coverage(session: Session, year: int) -> tuple[int, int]:
    used = (select(task_items.c.check_item_id).join(Task, Task.id == task_items.c.task_id)
            .join(Plan, Plan.id == Task.plan_id).where(Plan.year == year))
    enabled = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.enabled)) or 0
    covered = session.scalar(select(func.count()).select_from(CheckItem)
                             .where(CheckItem.enabled, CheckItem.id.in_(used))) or 0
    return enabled, covered


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
