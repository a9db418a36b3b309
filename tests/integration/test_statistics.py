"""A year's statistics: every figure compared with counts made here from the inspections one by one."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from sqlalchemy import select

from app.db.models import CheckItem, Plan
from app.services.errors import UserError
from app.services.reports.statistics import year_statistics
from tests.actors import CLERK
from tests.integration import statistics_data
from tests.integration.statistics_data import independent, total_of


@pytest.fixture
def year_with_results(demo_county, tmp_path):
    db = demo_county(CLERK, subjects=400)
    return db, statistics_data.year_with_results(db, tmp_path / "包")


def _figures(row):
    return (row.drawn, row.inspected, row.published, row.problems, row.follow_ups, row.closed, row.handed)


def test_every_figure_matches_counts_made_one_by_one(year_with_results):
    db, year = year_with_results
    stats = year_statistics(db, year)
    mine = independent(db, year)
    assert _figures(stats.total) == total_of(mine)
    assert stats.total.problems > 0 and stats.total.handed > 0 and stats.total.closed == 1
    assert stats.total.published < stats.total.inspected < stats.total.drawn  # the fixture spans every state
    assert stats.total.completion == stats.total.published / stats.total.drawn
    for dimension, rows in (("month", stats.by_month), ("department", stats.by_department),
                            ("region", stats.by_region)):
        groups = defaultdict(list)
        for r in mine:
            groups[str(r[dimension])].append(r)
        got = {r.key: _figures(r) for r in rows if r.drawn}
        assert got == {k: total_of(v) for k, v in groups.items()}, dimension
    by_category = defaultdict(list)
    for r in mine:
        if r["category"]:
            by_category[r["category"]].append(r)
    assert {r.key: _figures(r) for r in stats.by_category} == {k: total_of(v) for k, v in by_category.items()}
    stacked = Counter((r["month"], r["category"]) for r in mine if r["category"])
    assert {(c.month, c.category): c.count for c in stats.category_months} == dict(stacked)


def test_check_item_coverage_and_the_yearly_cap(year_with_results):
    db, year = year_with_results
    stats = year_statistics(db, year)
    with db.session() as session:
        enabled = [i for i in session.scalars(select(CheckItem)) if i.enabled]
        used = {item.id for plan in session.scalars(select(Plan).where(Plan.year == year))
                for task in plan.tasks for item in task.items}
    assert (stats.enabled_items, stats.covered_items) == (len(enabled), len([i for i in enabled if i.id in used]))
    assert stats.over_cap == () and stats.over_cap_count == 0  # one draw: nobody is drawn more than the cap allows
    assert [r.key for r in stats.by_month] == [str(m) for m in range(1, 13)]


def test_an_empty_year_and_a_wrong_year(demo_county):
    db = demo_county(CLERK, subjects=50)
    stats = year_statistics(db, 2031)
    assert stats.total.drawn == 0 and stats.total.completion is None and stats.by_department == ()
    with pytest.raises(UserError, match="年份不对"):
        year_statistics(db, 1999)
