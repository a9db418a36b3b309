"""Working days: the statutory calendar, the office's confirmed arrangements and corrections.

Which day is a working day is decided, in this order (the first that speaks wins):

1. the office's own correction for that day (``calendar mark 2027-02-06 班``);
2. a year's arrangement the office entered from the State Council's notice
   (holiday ranges and 调休 make-up days), when the package is behind;
3. the ``chinesecalendar`` package, for the years it knows;
4. otherwise Monday to Friday — and the year is *unconfirmed*, so every deadline that
   counts a day of it carries the warning "2027 年节假日安排尚未确认".

"N working days after D" does not count D itself: the due date is the N-th working day
after D, so exactly N working days lie in (D, due]. N = 0 gives D.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from chinese_calendar import constants as _package

_ONE_DAY = timedelta(days=1)
MAX_WORKING_DAYS = 366  # a deadline longer than a year is a typing mistake, not a rule
MAX_HOLIDAY_LENGTH = 15  # the longest statutory break (春节 with 调休) is 9 days


# The package's own tables, read once: its is_workday() re-validates the date against the
# whole table on every call (two scans of ~1,000 days), far too slow for counting deadlines.
_PACKAGE_HOLIDAYS = frozenset(_package.holidays)
_PACKAGE_WORKDAYS = frozenset(_package.workdays)


def package_years() -> frozenset[int]:
    """Years whose arrangement the installed ``chinesecalendar`` holds."""
    return frozenset(d.year for d in (*_PACKAGE_HOLIDAYS, *_PACKAGE_WORKDAYS))


def unconfirmed_warning(year: int) -> str:
    return f"{year} 年节假日安排尚未确认"


@dataclass(frozen=True)
class HolidayRange:
    """One statutory break as the notice prints it: 春节 2027-02-06 至 2027-02-13."""

    first: date
    last: date
    name: str = ""

    def days(self) -> Iterable[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += _ONE_DAY


@dataclass(frozen=True)
class YearArrangement:
    """A year's holidays and make-up working days (调休上班), entered from the notice."""

    year: int
    holidays: tuple[HolidayRange, ...]
    makeup_days: tuple[date, ...] = ()

    def problems(self) -> list[str]:
        """What is wrong with the arrangement, in Chinese; empty when it can be saved."""
        found: list[str] = []
        rest: set[date] = set()
        for number, span in enumerate(self.holidays, 1):
            label = f"第 {number} 个假期{('（' + span.name + '）') if span.name else ''}"
            if span.last < span.first:
                found.append(f"{label}结束日期 {span.last} 早于开始日期 {span.first}。")
                continue
            if (span.last - span.first).days + 1 > MAX_HOLIDAY_LENGTH:
                found.append(f"{label}长达 {(span.last - span.first).days + 1} 天，请核对日期。")
            if span.first.year != self.year and span.last.year != self.year:
                found.append(f"{label}（{span.first} 至 {span.last}）不在 {self.year} 年。")
            overlap = rest.intersection(span.days())
            if overlap:
                found.append(f"{label}与前面的假期重叠（{min(overlap)}）。")
            rest.update(span.days())
        for day in self.makeup_days:
            if day.weekday() < 5:
                found.append(f"调休上班日 {day} 是星期{'一二三四五'[day.weekday()]}，本来就是工作日。")
            if day in rest:
                found.append(f"{day} 既在假期中又是调休上班日。")
            if abs(day.year - self.year) > 1 or (day.year != self.year and day.month not in (1, 12)):
                found.append(f"调休上班日 {day} 不在 {self.year} 年前后。")
        if len(set(self.makeup_days)) != len(self.makeup_days):
            found.append("调休上班日有重复。")
        return found

    def rest_days(self) -> set[date]:
        return {day for span in self.holidays for day in span.days()}


@dataclass(frozen=True)
class Deadline:
    """A due date and the years it relied on that nobody has confirmed."""

    due: date
    unconfirmed_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str:
        return "；".join(unconfirmed_warning(year) for year in self.unconfirmed_years)


@dataclass
class WorkdayCalendar:
    """Working days as the office counts them. Pure: the services load what it needs."""

    corrections: Mapping[date, bool] = field(default_factory=dict)
    arrangements: Mapping[int, YearArrangement] = field(default_factory=dict)
    known_years: frozenset[int] = field(default_factory=package_years)

    def __post_init__(self) -> None:
        self._known: dict[date, bool] = {}
        # Many items count from the same day (a task's results); each sum is walked once.
        self._sums: dict[tuple[date, int], Deadline] = {}
        self._spans: dict[tuple[date, date], int] = {}
        self._rest: dict[int, set[date]] = {y: a.rest_days() for y, a in self.arrangements.items()}
        self._makeup: dict[int, set[date]] = {y: set(a.makeup_days) for y, a in self.arrangements.items()}
        # An arrangement may list a day of the neighbouring year (a break over New Year).
        self._spill: dict[date, bool] = {}
        for year in self.arrangements:
            for day in self._rest[year]:
                if day.year != year:
                    self._spill[day] = False
            for day in self._makeup[year]:
                if day.year != year:
                    self._spill[day] = True

    def is_confirmed(self, year: int) -> bool:
        return year in self.arrangements or year in self.known_years

    def is_workday(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._decide(day)
        return known

    def _decide(self, day: date) -> bool:
        if day in self.corrections:
            return self.corrections[day]
        year = day.year
        if year in self.arrangements:
            if day in self._makeup[year]:
                return True
            if day in self._rest[year]:
                return False
            if day in self._spill:
                return self._spill[day]
            return day.weekday() < 5
        if day in self._spill:
            return self._spill[day]
        if year in self.known_years:
            return day in _PACKAGE_WORKDAYS or (day.weekday() < 5 and day not in _PACKAGE_HOLIDAYS)
        return day.weekday() < 5

    def relies_on_unconfirmed(self, day: date) -> bool:
        """True when ``day``'s status is a guess: no correction, no arrangement, no package."""
        return day not in self.corrections and day not in self._spill and not self.is_confirmed(day.year)

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The N-th working day after ``start`` (``start`` itself not counted)."""
        if n < 0 or n > MAX_WORKING_DAYS:
            raise ValueError(f"工作日天数应在 0 到 {MAX_WORKING_DAYS} 之间，收到 {n}。")
        known = self._sums.get((start, n))
        if known is None:
            known = self._sums[(start, n)] = self._count_forward(start, n)
        return known

    def _count_forward(self, start: date, n: int) -> Deadline:
        day, counted, unconfirmed = start, 0, set()
        while counted < n:
            day += _ONE_DAY
            if self.relies_on_unconfirmed(day):
                unconfirmed.add(day.year)
            if self.is_workday(day):
                counted += 1
        return Deadline(day, tuple(sorted(unconfirmed)))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        known = self._spans.get((start, end))
        if known is None:
            count, day = 0, start
            while day < end:
                day += _ONE_DAY
                count += self.is_workday(day)
            known = self._spans[(start, end)] = count
        return known

    def month(self, year: int, month: int) -> list[tuple[date, bool]]:
        """Every day of a month with whether it is a working day (for the calendar page)."""
        day = date(year, month, 1)
        days = []
        while day.month == month:
            days.append((day, self.is_workday(day)))
            day += _ONE_DAY
        return days
