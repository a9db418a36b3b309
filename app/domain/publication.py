"""一公开: what must be published, and how an item stands against its deadline."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class PublicationKind(StrEnum):
    PLAN = "年度计划"        # from the plan's approval
    DRAWN_LIST = "抽取名单"  # drawn subjects and inspectors, from the draw (突击检查: after inspection)
    RESULT = "检查结果"      # each reviewed result, from the inspection's completion
    PENALTY = "行政处罚"     # 立案查处 follow-up, from the decision date


class PublicationState(StrEnum):
    ON_TIME = "按时公示"
    LATE = "逾期公示"
    OVERDUE = "已逾期"
    DUE_SOON = "即将到期"
    UPCOMING = "待公示"


DUE_SOON_WORKING_DAYS = 3  # amber on the 概览 page: due within this many working days

# Working days allowed by the seeds; the office changes them in settings.
DEFAULT_WORKING_DAYS = {
    PublicationKind.PLAN: 10,
    PublicationKind.DRAWN_LIST: 10,
    PublicationKind.RESULT: 20,
    PublicationKind.PENALTY: 7,
}


def state_of(due_on: date, published_on: date | None, today: date, working_days_left: int) -> PublicationState:
    """``working_days_left``: working days in (today, due_on] (0 when due today or past)."""
    if published_on is not None:
        return PublicationState.ON_TIME if published_on <= due_on else PublicationState.LATE
    if today > due_on:
        return PublicationState.OVERDUE
    if working_days_left <= DUE_SOON_WORKING_DAYS:
        return PublicationState.DUE_SOON
    return PublicationState.UPCOMING


def time_left_text(state: PublicationState, working_days_left: int) -> str:
    """"逾期 3 个工作日" / "今天到期" / "还剩 5 个工作日", as the 概览 page and `publish due` print it.
    Past its deadline on a weekend an item is 已过期限 before a working day has gone by."""
    if state is PublicationState.OVERDUE:
        return f"逾期 {-working_days_left} 个工作日" if working_days_left else "已过期限"
    if working_days_left == 0:
        return "今天到期"
    return f"还剩 {working_days_left} 个工作日"
