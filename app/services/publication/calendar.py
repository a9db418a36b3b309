"""The office's working-day calendar: corrections of single days, a year's arrangement
entered from the State Council's notice, and which years are confirmed.

A change here moves the deadline of every item not yet published, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from app.db.models import CalendarDay, HolidayArrangement
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.workdays import (
    Deadline,
    HolidayRange,
    WorkdayCalendar,
    YearArrangement,
    package_years,
)
from app.services import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.publication.deadlines import recompute_deadlines

WORKDAY_MARKS = {"班": True, "休": False}


def _arrangement(row: HolidayArrangement) -> YearArrangement:
    return YearArrangement(
        row.year,
        tuple(HolidayRange(date.fromisoformat(h["first"]), date.fromisoformat(h["last"]), h.get("name", ""))
              for h in row.holidays),
        tuple(date.fromisoformat(d) for d in row.makeup_days),
    )


def load_calendar(session: Session) -> WorkdayCalendar:
    corrections = {row.day: row.is_workday for row in session.scalars(select(CalendarDay))}
    arrangements = {row.year: _arrangement(row) for row in session.scalars(select(HolidayArrangement))}
    return WorkdayCalendar(corrections=corrections, arrangements=arrangements)


def calendar(db: Database) -> WorkdayCalendar:
    with db.session() as session:
        return load_calendar(session)


def due_date(db: Database, start: date, working_days: int) -> Deadline:
    """The 计算器: N working days after D, with the warning for unconfirmed years."""
    if not 0 <= working_days <= 366:
        raise UserError(f"工作日天数应在 0 到 366 之间，收到 {working_days}。")
    return calendar(db).add_working_days(start, working_days)


@dataclass(frozen=True)
class Correction:
    day: date
    is_workday: bool
    note: str

    @property
    def mark(self) -> str:
        return "班" if self.is_workday else "休"


def corrections(db: Database, year: int | None = None) -> list[Correction]:
    with db.session() as session:
        stmt = select(CalendarDay).order_by(CalendarDay.day)
        if year is not None:
            stmt = stmt.where(extract("year", CalendarDay.day) == year)
        return [Correction(r.day, r.is_workday, r.note) for r in session.scalars(stmt)]


def mark_day(db: Database, actor: Actor, day: date, mark: str, note: str = "") -> Correction:
    """The office works (班) or rests (休) on ``day``, whatever the package or arrangement says."""
    require(actor, Role.ADMIN)
    if mark not in WORKDAY_MARKS:
        raise UserError(f"“{mark}”不是有效的标记：请写“班”（上班）或“休”（休息）。")
    if len(note) > 100:
        raise UserError("说明不能超过 100 个字。")
    with db.session() as session:
        row = session.get(CalendarDay, day)
        old = None if row is None else ("班" if row.is_workday else "休")
        if row is None:
            row = CalendarDay(day=day)
            session.add(row)
        row.is_workday, row.note = WORKDAY_MARKS[mark], note
        audit.record(session, actor, "更正工作日", "calendar_day", day.isoformat(),
                     {"日期": day, "标记": [old, mark], "说明": note})
        session.flush()
        _recompute(session)
    return Correction(day, WORKDAY_MARKS[mark], note)


def clear_day(db: Database, actor: Actor, day: date) -> None:
    """Remove the office's correction: the day follows the arrangement or package again."""
    require(actor, Role.ADMIN)
    with db.session() as session:
        row = session.get(CalendarDay, day)
        if row is None:
            raise UserError(f"{day} 没有本单位的更正，无需撤销。")
        audit.record(session, actor, "撤销工作日更正", "calendar_day", day.isoformat(),
                     {"日期": day, "原标记": "班" if row.is_workday else "休"})
        session.delete(row)
        session.flush()
        _recompute(session)


@dataclass(frozen=True)
class YearStatus:
    year: int
    confirmed: bool
    how: str  # 程序内置 / 本单位录入（来源） / 尚未确认


def year_statuses(db: Database, years: list[int]) -> list[YearStatus]:
    known = package_years()
    with db.session() as session:
        entered = {r.year: r for r in session.scalars(select(HolidayArrangement))}
    rows = []
    for year in years:
        if year in entered:
            source = entered[year].source
            rows.append(YearStatus(year, True, f"本单位录入{('（' + source + '）') if source else ''}，"
                                                f"{entered[year].entered_by} {entered[year].entered_on}"))
        elif year in known:
            rows.append(YearStatus(year, True, "程序内置（chinesecalendar）"))
        else:
            rows.append(YearStatus(year, False, "尚未确认：按双休日计算"))
    return rows


def arrangement(db: Database, year: int) -> YearArrangement | None:
    with db.session() as session:
        row = session.get(HolidayArrangement, year)
        return None if row is None else _arrangement(row)


def save_arrangement(db: Database, actor: Actor, arrangement: YearArrangement, source: str = "",
                     today: date | None = None) -> None:
    """Enter (or replace) a year's 节假日安排; the year then counts as confirmed."""
    require(actor, Role.ADMIN)
    problems = arrangement.problems()
    if not arrangement.holidays:
        problems.insert(0, "至少要录入一个假期（开始、结束日期）。")
    if problems:
        raise UserError(f"{arrangement.year} 年节假日安排有误，未保存：\n" + "\n".join(problems))
    holidays = [{"name": h.name, "first": h.first.isoformat(), "last": h.last.isoformat()}
                for h in arrangement.holidays]
    makeup = [d.isoformat() for d in sorted(arrangement.makeup_days)]
    with db.session() as session:
        row = session.get(HolidayArrangement, arrangement.year)
        old = None if row is None else {"假期": row.holidays, "调休上班": row.makeup_days}
        if row is None:
            row = HolidayArrangement(year=arrangement.year)
            session.add(row)
        row.holidays, row.makeup_days, row.source = holidays, makeup, source.strip()[:200]
        row.entered_by, row.entered_on = actor.name, today or date.today()
        audit.record(session, actor, "录入节假日安排", "holiday_arrangement", arrangement.year,
                     {"原安排": old, "假期": holidays, "调休上班": makeup, "来源": row.source})
        session.flush()
        _recompute(session)


def _recompute(session: Session) -> None:
    recompute_deadlines(session, load_calendar(session))
