"""The ratio → count rule and the way a clerk writes 抽查比例 and 抽查数量."""

from __future__ import annotations

import pytest

from app.domain.draw.protocol import quota_counts
from app.domain.quota import ALL, format_quota, parse_quota, planned_count, ratio_at_least, ratio_count


@pytest.mark.parametrize(("population", "p", "q", "expected"), [
    (0, 5, 100, 0), (1, 5, 100, 1), (20, 5, 100, 1), (21, 5, 100, 2), (300, 5, 100, 15),
    (301, 5, 100, 16), (7, 1, 3, 3), (9, 1, 3, 3), (10, 25, 1000, 1), (400, 25, 1000, 10), (5, 1, 1, 5),
])
def test_ratio_rounds_up(population, p, q, expected):
    assert ratio_count(population, p, q) == expected


def test_same_rule_as_the_draw_engine():
    for population in range(1, 120):
        for p, q in ((1, 100), (5, 100), (25, 1000), (1, 3), (2, 7), (1, 1)):
            params = {"quotas": {"全部": {"ratio": [p, q]}}}
            assert quota_counts(params, {"全部": population})["全部"] == ratio_count(population, p, q)


def test_planned_count_of_a_count_is_the_count():
    assert planned_count({"count": 30}, 10) == 30
    assert planned_count({"ratio": [5, 100]}, 300) == 15


@pytest.mark.parametrize(("text", "quota"), [
    ("5%", {"ratio": [5, 100]}), ("5％", {"ratio": [5, 100]}), ("2.5%", {"ratio": [25, 1000]}),
    ("0.25%", {"ratio": [25, 10000]}), ("1/3", {"ratio": [1, 3]}), ("1／20", {"ratio": [1, 20]}),
    ("30", {"count": 30}), ("30户", {"count": 30}), ("全部", ALL), ("100%", ALL), ("", None), ("  ", None),
])
def test_parse(text, quota):
    assert parse_quota(text) == quota


@pytest.mark.parametrize(("text", "message"), [
    ("0%", "大于 0"), ("120%", "不能超过 100%"), ("3/2", "不能超过 100%"), ("1/0", "分母"), ("0", "至少为 1"),
    ("五户", "不是比例或数量"), ("-3", "不是比例或数量"), ("5.5.5%", "不是比例或数量"),
])
def test_parse_rejects_with_a_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_quota(text)


@pytest.mark.parametrize("text", ["5%", "2.5%", "0.25%", "1/3", "30 户", "全部", "12.5%"])
def test_format_round_trips(text):
    assert format_quota(parse_quota(text)) == text


def test_ratio_comparison():
    assert ratio_at_least({"ratio": [10, 100]}, {"ratio": [5, 100]})
    assert not ratio_at_least({"ratio": [1, 30]}, {"ratio": [5, 100]})
    assert ratio_at_least({"count": 3}, {"ratio": [5, 100]})
