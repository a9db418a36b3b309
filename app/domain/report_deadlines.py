"""When the county's reports are due (the seed's 信息联络员制度): plain dates, no database.

每月20日前报送《月报表》; 4月5日、7月1日、10月8日前报送上季度落实情况; 12月20日前报送全年落实情况.
The month a 月报表 reports on is the month before its due date's month, as the 双随机办 reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MONTHLY_DUE_DAY = 20
QUARTER_DUE = {1: (4, 5), 2: (7, 1), 3: (10, 8)}  # the fourth quarter goes into the year's report
ANNUAL_DUE = (12, 20)


class ReportKind(StrEnum):
    MONTHLY = "月报表"
    QUARTERLY = "季度总结"
    ANNUAL = "年度总结"


@dataclass(frozen=True, order=True)
class ReportPeriod:
    """One report to file: a month (1–12), a quarter (1–3) or the year (period 0)."""

    due_on: date
    kind: ReportKind
    year: int
    period: int

    @property
    def label(self) -> str:
        if self.kind is ReportKind.MONTHLY:
            return f"{self.year}年{self.period}月月报表"
        if self.kind is ReportKind.QUARTERLY:
            return f"{self.year}年第{'一二三'[self.period - 1]}季度落实情况"
        return f"{self.year}年全年落实情况"


def monthly_due(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, MONTHLY_DUE_DAY)


def periods_of_year(year: int) -> list[ReportPeriod]:
    """Every report about ``year``, in the order they fall due."""
    periods = [ReportPeriod(monthly_due(year, m), ReportKind.MONTHLY, year, m) for m in range(1, 13)]
    periods += [ReportPeriod(date(year, *QUARTER_DUE[q]), ReportKind.QUARTERLY, year, q) for q in QUARTER_DUE]
    periods.append(ReportPeriod(date(year, *ANNUAL_DUE), ReportKind.ANNUAL, year, 0))
    return sorted(periods)


def periods_between(first_month: date, until: date) -> list[ReportPeriod]:
    """The reports about months from ``first_month``'s month on that fall due no later than ``until``.

    A quarter's or the year's report counts when its time reaches ``first_month``'s month.
    """
    start = (first_month.year, first_month.month)
    out = []
    for year in range(first_month.year, until.year + 1):
        for p in periods_of_year(year):
            last_month = {ReportKind.MONTHLY: p.period, ReportKind.QUARTERLY: 3 * p.period,
                          ReportKind.ANNUAL: 12}[p.kind]
            if (p.year, last_month) >= start and p.due_on <= until:
                out.append(p)
    return sorted(out)
