"""Selection frequencies over many seeds match the protocol's probabilities.

Each frequency f over M independent seeds has standard deviation σ = √(p(1−p)/M).  The bound is
|f − p| ≤ 5σ for every item; with ~30 items checked the chance of a false alarm is below 10⁻⁵.
The seeds are fixed (SHA-256 of the run number), so the test is deterministic.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from fractions import Fraction

from app.domain.draw import DrawInputs, DrawParameters, Inspector, Quota, Subject
from app.domain.draw.canonical import canonical_files
from app.domain.draw.protocol import Inputs, Matcher, Ranking


def _inputs(subjects, quota, inspectors=()) -> Inputs:
    files, _ = canonical_files(DrawInputs(subjects, DrawParameters(quotas={"全部": quota}), list(inspectors)))
    return Inputs(files)


def _seeds(count: int):
    return (hashlib.sha256(f"run {n}".encode()).digest() for n in range(count))


def _within(counts: Counter, p: Fraction, runs: int, items) -> None:
    sigma2 = p * (1 - p) / runs
    for item in items:
        f = Fraction(counts[item], runs)
        assert (f - p) ** 2 <= 25 * sigma2, f"{item}: {float(f):.4f} vs {float(p):.4f}"


def test_each_subject_is_drawn_with_probability_k_over_n():
    n, k, runs = 20, 5, 4000
    inputs = _inputs([Subject(f"9100000000000000{i:02d}", f"对象{i}") for i in range(n)], Quota.of(k))
    counts = Counter()
    for seed in _seeds(runs):
        counts.update(t[1] for t in Ranking(inputs, seed).top("全部", k))
    assert sum(counts.values()) == k * runs
    _within(counts, Fraction(k, n), runs, inputs.subjects[0])


def test_a_weight_w_subject_wins_a_single_draw_with_probability_w_over_total():
    weights = [1, 2, 3, 4]
    runs = 6000
    inputs = _inputs([Subject(f"W{i}", f"对象{i}", weight=w) for i, w in enumerate(weights)], Quota.of(1))
    counts = Counter(Ranking(inputs, seed).top("全部", 1)[0][1] for seed in _seeds(runs))
    for i, w in enumerate(weights):
        _within(counts, Fraction(w, sum(weights)), runs, [f"W{i}"])


def test_each_inspector_joins_a_team_with_probability_size_over_pool():
    pool, runs = 6, 3000
    inspectors = [Inspector(f"E{i}", f"检查员{i}", "市场监管局", leader=True) for i in range(pool)]
    inputs = _inputs([Subject("S1", "唯一对象")], Quota.of(1), inspectors)
    counts = Counter()
    for seed in _seeds(runs):
        counts.update(m["id"] for m in Matcher(inputs, Ranking(inputs, seed)).initial()["teams"][0]["members"])
    _within(counts, Fraction(2, pool), runs, [f"E{i}" for i in range(pool)])
