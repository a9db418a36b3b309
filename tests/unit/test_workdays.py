"""The working-day calendar against the State Council's real 2025 and 2026 arrangements,
a 2027 year entered by hand, the office's corrections, and the counting property."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.workdays import Deadline, HolidayRange, WorkdayCalendar, YearArrangement

D = date.fromisoformat

# 2027 as an office would type it from a notice (元旦 Fri–Sun; 春节 Sat 02-06 to Sun 02-14,
# make-up Sunday 01-31 and Saturday 02-20).
HAND_2027 = YearArrangement(
    2027,
    (HolidayRange(D("2027-01-01"), D("2027-01-03"), "元旦"), HolidayRange(D("2027-02-06"), D("2027-02-14"), "春节")),
    (D("2027-01-31"), D("2027-02-20")),
)


@pytest.fixture
def calendar() -> WorkdayCalendar:
    return WorkdayCalendar()


@pytest.mark.parametrize("day", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
                                 "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"])
def test_make_up_weekends_are_working_days(calendar, day):
    assert D(day).weekday() >= 5
    assert calendar.is_workday(D(day))


@pytest.mark.parametrize("day", ["2026-01-01", "2026-01-02", "2026-02-16", "2026-02-23", "2026-05-05",
                                 "2026-06-19", "2026-10-07", "2025-01-28", "2025-10-08", "2025-06-02"])
def test_statutory_holidays_are_rest_days(calendar, day):
    assert not calendar.is_workday(D(day))


def test_the_package_years_read_as_the_package_itself_reads_them(calendar):
    import chinese_calendar

    day = date(2020, 1, 1)
    while day.year <= 2026:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_ten_working_days_across_national_day_2025(calendar):
    # 09-28 (Sunday, 调休) … 10-01 to 10-08 off … 10-11 (Saturday, 调休): the 10th is 10-16.
    assert calendar.add_working_days(D("2025-09-26"), 10) == Deadline(D("2025-10-16"))


def test_ten_working_days_across_spring_festival_2026(calendar):
    # 02-11, 12, 13, 14 (Saturday, 调休); 02-15 to 02-23 off; 24, 25, 26, 27, 28 (Saturday, 调休), 03-02.
    assert calendar.add_working_days(D("2026-02-10"), 10) == Deadline(D("2026-03-02"))


def test_seven_working_days_over_new_year_2026(calendar):
    # 2025-12-31 Wed; 01-01 to 01-03 off; 01-04 (Sunday, 调休) counts.
    assert calendar.add_working_days(D("2025-12-30"), 7).due == D("2026-01-09")


def test_a_december_result_runs_into_an_unconfirmed_2027(calendar):
    deadline = calendar.add_working_days(D("2026-12-15"), 20)
    assert deadline.due == D("2027-01-12")  # weekends only: 2027-01-01 (Friday) counted as a working day
    assert deadline.unconfirmed_years == (2027,)
    assert deadline.warning == "2027 年节假日安排尚未确认"


def test_entering_2027_confirms_it_and_moves_the_deadline():
    calendar = WorkdayCalendar(arrangements={2027: HAND_2027})
    assert HAND_2027.problems() == []
    deadline = calendar.add_working_days(D("2026-12-15"), 20)
    assert deadline == Deadline(D("2027-01-13"))
    assert calendar.is_confirmed(2027) and not calendar.is_confirmed(2028)


def test_hand_entered_2027_spring_festival():
    calendar = WorkdayCalendar(arrangements={2027: HAND_2027})
    assert calendar.is_workday(D("2027-01-31")) and calendar.is_workday(D("2027-02-20"))
    assert not calendar.is_workday(D("2027-02-08"))
    assert calendar.add_working_days(D("2027-02-04"), 5).due == D("2027-02-18")
    # 01-28, 29, 31 (Sunday, 调休), 02-01 … 02-05, then 02-15, 02-16.
    assert calendar.add_working_days(D("2027-01-27"), 10).due == D("2027-02-16")


def test_office_corrections_win_over_the_package_and_the_arrangement():
    calendar = WorkdayCalendar(
        corrections={D("2026-10-10"): False, D("2027-02-13"): True, D("2026-03-07"): True},
        arrangements={2027: HAND_2027},
    )
    assert not calendar.is_workday(D("2026-10-10"))  # package: 调休 working Saturday
    assert calendar.is_workday(D("2027-02-13"))  # arrangement: 春节
    assert calendar.is_workday(D("2026-03-07"))  # an ordinary Saturday the office works


def test_a_correction_in_an_unconfirmed_year_is_not_a_guess():
    calendar = WorkdayCalendar(corrections={D("2028-01-03"): False})
    assert not calendar.relies_on_unconfirmed(D("2028-01-03"))
    assert calendar.relies_on_unconfirmed(D("2028-01-04"))


def test_arrangement_mistakes_are_named():
    bad = YearArrangement(
        2027,
        (HolidayRange(D("2027-05-05"), D("2027-05-01"), "劳动节"), HolidayRange(D("2027-10-01"), D("2027-10-31"), "国庆节"),
         HolidayRange(D("2027-10-03"), D("2027-10-04"))),
        (D("2027-03-03"), D("2027-10-02")),
    )
    problems = "\n".join(bad.problems())
    assert "劳动节）结束日期 2027-05-01 早于开始日期 2027-05-05" in problems
    assert "国庆节）长达 31 天" in problems
    assert "第 3 个假期与前面的假期重叠（2027-10-03）" in problems
    assert "调休上班日 2027-03-03 是星期三" in problems
    assert "2027-10-02 既在假期中又是调休上班日" in problems


def test_counting_limits():
    calendar = WorkdayCalendar()
    assert calendar.add_working_days(D("2026-10-01"), 0) == Deadline(D("2026-10-01"))
    with pytest.raises(ValueError):
        calendar.add_working_days(D("2026-10-01"), -1)
    # 10-01 to 10-07 off: only 10-08 and 10-09 lie in (09-30, 10-09].
    assert calendar.working_days_between(D("2026-09-30"), D("2026-10-09")) == 2
    assert calendar.working_days_between(D("2026-10-09"), D("2026-09-30")) == -2


corrections = st.dictionaries(st.dates(date(2024, 1, 1), date(2029, 12, 31)), st.booleans(), max_size=30)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(date(2024, 1, 1), date(2028, 12, 31)), n=st.integers(1, 60), fixes=corrections,
       with_2027=st.booleans())
def test_n_working_days_after_d_is_a_working_day_with_n_in_between(start, n, fixes, with_2027):
    calendar = WorkdayCalendar(corrections=fixes, arrangements={2027: HAND_2027} if with_2027 else {})
    due = calendar.add_working_days(start, n).due
    assert calendar.is_workday(due)
    days = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(calendar.is_workday(day) for day in days) == n
    assert calendar.working_days_between(start, due) == n


@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(2025, 6, 1), date(2028, 6, 30)), n=st.integers(0, 40))
def test_the_warning_names_exactly_the_guessed_years_counted(start, n):
    calendar = WorkdayCalendar(arrangements={2027: HAND_2027})
    deadline = calendar.add_working_days(start, n)
    guessed = {start.year + k for k in range(4) if not calendar.is_confirmed(start.year + k)}
    spanned = {y for y in guessed if start < date(y, 12, 31) and deadline.due >= date(y, 1, 1) and deadline.due > start}
    assert set(deadline.unconfirmed_years) == spanned
