"""信用风险分类 (A–D) and the yearly cap on how often a low-risk subject is drawn."""

from __future__ import annotations

from dataclasses import dataclass

RISK_CLASSES = {"A": "低风险", "B": "一般风险", "C": "较高风险", "D": "高风险"}
RISK_ORDER = ("A", "B", "C", "D")  # 低 → 高
NO_RISK = "未分类"


def risk_stratum(risk_class: str) -> str:
    """The stratum label of a 信用风险分类: "A（低风险）" …, or 未分类."""
    return f"{risk_class}（{RISK_CLASSES[risk_class]}）" if risk_class in RISK_CLASSES else NO_RISK


@dataclass(frozen=True)
class YearlyCap:
    times: int  # N
    risk_classes: tuple[str, ...]  # 信用风险分类 the cap applies to

    def describe(self) -> str:
        classes = "、".join(risk_stratum(r) for r in self.risk_classes)
        return f"{classes}的检查对象同一年度内最多抽查 {self.times} 次（重点检查对象不设上限）"
