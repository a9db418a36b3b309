"""抽查比例 and 抽查数量 as a clerk types them, and how a ratio becomes a number of subjects.

A quota is the JSON shape the draw protocol commits in params.json: ``{"count": n}`` or
``{"ratio": [p, q]}`` (p/q, integers, 0 ≤ p ≤ q). No floating point anywhere: "2.5%"
is kept as 25/1000.

Rounding rule (the same as the draw engine's ``quota_counts``): a ratio p/q over N
eligible subjects draws ⌈N·p/q⌉ = (N·p + q − 1) // q, so any non-zero ratio over a
non-empty population draws at least one.
"""

from __future__ import annotations

import re

ALL = {"ratio": [1, 1]}  # 全部抽取 (重点检查事项: 抽查比例不设上限)
_PERCENT = re.compile(r"^(\d{1,3})(?:\.(\d{1,4}))?\s*[%％]$")
_FRACTION = re.compile(r"^(\d{1,6})\s*/\s*(\d{1,7})$")
_COUNT = re.compile(r"^(\d{1,7})\s*(?:户|个|家)?$")


def ratio_count(population: int, numerator: int, denominator: int) -> int:
    """⌈population · numerator / denominator⌉ in integers."""
    if population < 0 or numerator < 0 or denominator <= 0:
        raise ValueError("population and numerator must be ≥ 0, denominator > 0")
    return (population * numerator + denominator - 1) // denominator


def planned_count(quota: dict, population: int) -> int:
    """How many a quota asks for out of ``population`` (not limited to the population)."""
    if "count" in quota:
        return int(quota["count"])
    numerator, denominator = quota["ratio"]
    return ratio_count(population, numerator, denominator)


def parse_quota(text: str) -> dict | None:
    """"5%" → 5/100, "2.5%" → 25/1000, "1/3", "12" or "12户" → a count, "全部" → 1/1; "" → None.

    Raises ValueError with a Chinese message the clerk can act on.
    """
    text = text.strip().replace("．", ".").replace("／", "/")
    if not text:
        return None
    if text in ("全部", "全部抽取", "100%", "100％"):
        return dict(ALL)
    if match := _PERCENT.match(text):
        whole, fraction = match.group(1), match.group(2) or ""
        numerator, denominator = int(whole + fraction), 100 * 10 ** len(fraction)
        return check({"ratio": [numerator, denominator]})
    if match := _FRACTION.match(text):
        return check({"ratio": [int(match.group(1)), int(match.group(2))]})
    if match := _COUNT.match(text):
        return check({"count": int(match.group(1))})
    raise ValueError(f"“{text}”不是比例或数量：比例写作 5% 或 1/20，数量写整数（如 30），全部抽取写“全部”。")


def check(quota: dict) -> dict:
    """The quota itself, or ValueError saying what is wrong with it."""
    if "count" in quota:
        if int(quota["count"]) < 1:
            raise ValueError("抽查数量至少为 1 户。")
        return quota
    numerator, denominator = quota["ratio"]
    if denominator <= 0:
        raise ValueError("比例的分母必须大于 0。")
    if numerator <= 0:
        raise ValueError("抽查比例必须大于 0。")
    if numerator > denominator:
        raise ValueError("抽查比例不能超过 100%。")
    return quota


def format_quota(quota: dict | None) -> str:
    """The quota as the clerk would write it: "5%", "2.5%", "1/3", "30 户", "全部"."""
    if not quota:
        return ""
    if "count" in quota:
        return f"{quota['count']} 户"
    numerator, denominator = quota["ratio"]
    if numerator == denominator:
        return "全部"
    digits = len(str(denominator)) - 1
    if denominator == 10 ** digits and digits >= 2:
        whole, fraction = divmod(numerator, 10 ** (digits - 2))
        text = str(whole)
        if fraction:
            text += "." + str(fraction).rjust(digits - 2, "0").rstrip("0")
        return text + "%"
    return f"{numerator}/{denominator}"


def ratio_at_least(first: dict, second: dict) -> bool:
    """Is ratio quota ``first`` ≥ ratio quota ``second``? (Counts compare as unknown: True.)"""
    if "ratio" not in first or "ratio" not in second:
        return True
    (p1, q1), (p2, q2) = first["ratio"], second["ratio"]
    return p1 * q2 >= p2 * q1
