"""When the reports to the county 双随机办 fall due (the seed's 信息联络员制度)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.domain.report_deadlines import ReportKind, monthly_due, periods_between, periods_of_year


def test_the_seeds_dates():
    due = {(p.kind, p.period): p.due_on for p in periods_of_year(2026)}
    assert due[(ReportKind.MONTHLY, 10)] == date(2026, 11, 20)
    assert due[(ReportKind.MONTHLY, 12)] == date(2027, 1, 20)
    assert [due[(ReportKind.QUARTERLY, q)] for q in (1, 2, 3)] == [date(2026, 4, 5), date(2026, 7, 1),
                                                                     date(2026, 10, 8)]
    assert due[(ReportKind.ANNUAL, 0)] == date(2026, 12, 20)


def test_labels():
    labels = [p.label for p in periods_of_year(2026)]
    assert "2026年10月月报表" in labels and "2026年第三季度落实情况" in labels and "2026年全年落实情况" in labels


def test_a_department_that_started_in_november_owes_from_november_on():
    owed = periods_between(date(2026, 11, 3), date(2026, 12, 31))
    assert [p.label for p in owed] == ["2026年全年落实情况", "2026年11月月报表"]


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)),
       st.integers(min_value=0, max_value=800))
def test_every_month_from_the_start_is_owed_once_and_on_time(start, days):
    until = date.fromordinal(start.toordinal() + days)
    owed = periods_between(start, until)
    assert owed == sorted(set(owed))
    assert all(p.due_on <= until for p in owed)
    months = [(p.year, p.period) for p in owed if p.kind is ReportKind.MONTHLY]
    expected = [(y, m) for y in range(start.year, until.year + 1) for m in range(1, 13)
                if (y, m) >= (start.year, start.month) and monthly_due(y, m) <= until]
    assert months == expected
