"""Can an inspector be drawn for inspections on given dates? And if not, why?

PRODUCT.md §2 C: an inspector whose 执法证 has expired, or who is on leave (or
seconded, or transferred away) on the inspection dates, cannot be drawn; the UI
says why. Experts (专家) hold no 执法证 and are not refused for lacking one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

EXPERT = "专家"
ENFORCEMENT_CERTIFICATE = "行政执法证"


@dataclass(frozen=True)
class CertificateFact:
    kind: str
    number: str
    expires_on: date | None


@dataclass(frozen=True)
class PeriodFact:
    status: str  # 请假 / 借调 / 调离
    starts_on: date
    ends_on: date | None


def _overlaps(period: PeriodFact, start: date, end: date) -> bool:
    return period.starts_on <= end and (period.ends_on is None or period.ends_on >= start)


def unavailability(
    category: str,
    certificates: list[CertificateFact],
    periods: list[PeriodFact],
    start: date,
    end: date | None = None,
) -> list[str]:
    """The reasons (Chinese) an inspector cannot be drawn for [start, end]; empty when eligible."""
    end = end or start
    reasons = []
    if category != EXPERT:
        enforcement = [c for c in certificates if c.kind == ENFORCEMENT_CERTIFICATE]
        if not enforcement:
            reasons.append("无行政执法证")
        elif all(c.expires_on is not None and c.expires_on < end for c in enforcement):
            latest = max(c.expires_on for c in enforcement if c.expires_on)
            reasons.append(f"执法证已于 {latest:%Y-%m-%d} 到期" if latest < start
                           else f"执法证将于 {latest:%Y-%m-%d} 到期，早于检查结束")
    for period in periods:
        if _overlaps(period, start, end):
            until = f"至 {period.ends_on:%Y-%m-%d}" if period.ends_on else "（未定结束日期）"
            reasons.append(f"{period.status}：{period.starts_on:%Y-%m-%d} {until}")
    return reasons


def status_on(periods: list[PeriodFact], day: date) -> str:
    """在岗, or the status of the period covering ``day``."""
    for period in periods:
        if _overlaps(period, day, day):
            return period.status
    return "在岗"
