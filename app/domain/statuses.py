"""The statuses the database stores, as enums with the Chinese words the clerk reads.

Each member's value is exactly what the tables hold, so a member compares equal to the
stored text and can be written straight into a row.
"""

from __future__ import annotations

from enum import StrEnum


class PlanStatus(StrEnum):
    """年度抽查计划: 草拟 → 审批 → 已公示, and 已调整 while an approved plan is being changed."""

    DRAFT = "草拟"
    REVIEW = "审批"
    PUBLISHED = "已公示"
    ADJUSTED = "已调整"


PLAN_EDITABLE = (PlanStatus.DRAFT, PlanStatus.ADJUSTED)


class DrawStatus(StrEnum):
    """One attempt at a task's draw, step by step (each step committed before it is shown)."""

    PREPARED = "准备"
    WITNESSED = "见证人录入"
    REVEALED = "已揭示"
    SELECTED = "已抽取对象"
    MATCHED = "已匹配人员"
    FINISHED = "已完成"
    ABANDONED = "已放弃"


DRAW_UNFINISHED = (DrawStatus.PREPARED, DrawStatus.WITNESSED, DrawStatus.REVEALED, DrawStatus.SELECTED,
                   DrawStatus.MATCHED)  # started, not yet 已完成
DRAW_REVEALED = (DrawStatus.REVEALED, DrawStatus.SELECTED, DrawStatus.MATCHED, DrawStatus.FINISHED)


class TaskDrawStatus(StrEnum):
    """Where a task stands with its draw, as lists show it."""

    NOT_DRAWN = "未抽取"
    DRAWING = "抽取中"
    DRAWN = "已抽取"
