"""替换原因: why a drawn subject or inspector is replaced, from a fixed list (no free-form reasons).

A reason is stored, in the draw's replacement log and on the record's addendum, as its Chinese
value, followed by "：" and the clerk's note when there is one; 其他 always needs the note.
"""

from __future__ import annotations

from enum import StrEnum

SEPARATOR = "："


class ReplacementReason(StrEnum):
    DEREGISTERED = "已注销/吊销"
    MOVED_OUT = "已迁出"
    UNREACHABLE = "经核实无法联系"
    RECUSAL = "回避"
    UNAVAILABLE = "因病/公出无法参加"
    OTHER = "其他"


SUBJECT_REASONS = (ReplacementReason.DEREGISTERED, ReplacementReason.MOVED_OUT, ReplacementReason.UNREACHABLE,
                   ReplacementReason.OTHER)
INSPECTOR_REASONS = (ReplacementReason.RECUSAL, ReplacementReason.UNAVAILABLE, ReplacementReason.OTHER)


class ReasonError(ValueError):
    """A reason outside the list, one that does not fit the kind of replacement, or 其他 without a note."""


def reason_text(kind: str, reason: ReplacementReason | str, note: str = "") -> str:
    """The stored text of a replacement's reason; kind is "subject" or "inspector"."""
    try:
        reason = ReplacementReason(reason)
    except ValueError:
        raise ReasonError(f"替换原因“{reason}”不在规定的原因中，请从列表中选择。") from None
    allowed = SUBJECT_REASONS if kind == "subject" else INSPECTOR_REASONS
    if reason not in allowed:
        what = "检查对象" if kind == "subject" else "检查人员"
        raise ReasonError(f"替换{what}的原因只能是：{'、'.join(allowed)}。")
    note = " ".join(note.split())
    if reason is ReplacementReason.OTHER and not note:
        raise ReasonError("原因选“其他”时必须写明具体情况。")
    return f"{reason}{SEPARATOR}{note}" if note else str(reason)


def split_reason(text: str) -> tuple[ReplacementReason | None, str]:
    """(the listed reason, the note) of a stored reason; (None, text) for one recorded before the list."""
    head, _, note = text.partition(SEPARATOR)
    try:
        return ReplacementReason(head), note
    except ValueError:
        return None, text
