"""The tallies the database keeps (migration 0008) equal counts made here, whatever writes the rows.

Random edits of inspections and publications are made with plain SQL — as an import, a restore or
a future service would — and after each round both tallies are compared with counts made in
Python from the rows themselves.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import delete, insert, select, update

from app.db.models import InspectionTally, Inspection, ItemResult, Plan, Publication, SubjectYearDraws, Task
from app.db.models.tallies import TRIGGER_KEPT_TABLES
from app.db.session import Database
from app.services.backup.archive import export_data
from app.services.backup.archive_import import import_data
from tests.actors import CLERK
from tests.integration import statistics_data

CATEGORIES = ("", "未发现问题", "发现问题已责令改正", "未发现问题、发现问题待后续处理")
HANDLING = ("", "无需后续处置", "责令改正", "移送")
STATUSES = ("待检查", "已录入", "审核通过", "已替换")


@pytest.fixture
def county(demo_county, tmp_path):
    db = demo_county(CLERK, subjects=400)
    statistics_data.year_with_results(db, tmp_path / "包")
    return db


def _counted(session) -> tuple[Counter, Counter]:
    """(draw, category, region) → the seven counts, and (subject, year) → times: counted row by row."""
    published = set(session.scalars(select(Publication.inspection_id).where(
        Publication.kind == "检查结果", Publication.published_on.is_not(None))))
    years = dict(session.execute(select(Task.id, Plan.year).join(Plan, Plan.id == Task.plan_id)).all())
    tallies, times = Counter(), Counter()
    for i in session.scalars(select(Inspection)):
        if i.status == "已替换":
            continue
        inspected = i.inspected_on is not None
        category = (i.result_category or "未录入") if inspected else "未录入"
        follow = i.handling not in ("", "无需后续处置")
        figures = (1, int(inspected), int(inspected and i.result_category not in ("", "未发现问题")), int(follow),
                   int(follow and i.closed_on is not None), int(i.handed_to != ""), int(i.id in published))
        for n, value in enumerate(figures):
            tallies[(i.draw_id, category, i.region, n)] += value
        times[(i.subject_id, years[i.task_id])] += 1
    return +tallies, +times


def _kept(session) -> tuple[Counter, Counter]:
    tallies = Counter()
    for t in session.scalars(select(InspectionTally)):
        figures = (t.drawn, t.inspected, t.problems, t.follow_ups, t.closed, t.handed, t.published)
        for n, value in enumerate(figures):
            tallies[(t.draw_id, t.category, t.region, n)] += value
    times = Counter({(r.subject_id, r.year): r.times for r in session.scalars(select(SubjectYearDraws))})
    return +tallies, +times


def _edit_inspection(session, rng: random.Random, ids: list[int]) -> None:
    changes = rng.choice([
        {"status": rng.choice(STATUSES)},
        {"inspected_on": rng.choice([None, date(2026, 10, 9)]), "result_category": rng.choice(CATEGORIES)},
        {"handling": rng.choice(HANDLING), "closed_on": rng.choice([None, date(2026, 11, 2)])},
        {"handed_to": rng.choice(["", "县应急管理局"])},
        {"region": rng.choice(["", "城关镇", "河口镇"])},
        {"note": "只改备注，不影响统计"},
    ])
    session.execute(update(Inspection).where(Inspection.id == rng.choice(ids)).values(**changes))


def _edit_publication(session, rng: random.Random, ids: list[int]) -> None:
    inspection_id = rng.choice(ids)
    existing = session.scalar(select(Publication.id).where(Publication.inspection_id == inspection_id))
    if existing is None:
        session.execute(insert(Publication).values(
            kind="检查结果", source_key=f"检查结果:{inspection_id}", inspection_id=inspection_id,
            counted_from=date(2026, 10, 9), working_days=20, due_on=date(2026, 11, 6),
            published_on=rng.choice([None, date(2026, 10, 20)])))
    elif rng.random() < 0.3:
        session.execute(delete(Publication).where(Publication.id == existing))
    else:
        session.execute(update(Publication).where(Publication.id == existing).values(
            published_on=rng.choice([None, date(2026, 10, 21)])))


@pytest.mark.parametrize("seed", [1, 2])
def test_tallies_follow_every_kind_of_edit(county, seed):
    rng = random.Random(seed)
    with county.session() as session:
        assert _kept(session) == _counted(session)  # as the draw, the entries and the publications left them
        ids = list(session.scalars(select(Inspection.id)))
        for _ in range(6):
            for _ in range(25):
                (_edit_inspection if rng.random() < 0.6 else _edit_publication)(session, rng, ids)
            session.flush()
            assert _kept(session) == _counted(session)
        gone = rng.choice(ids)
        session.execute(delete(Publication).where(Publication.inspection_id == gone))
        session.execute(delete(ItemResult).where(ItemResult.inspection_id == gone))
        session.execute(delete(Inspection).where(Inspection.id == gone))
        session.flush()
        assert _kept(session) == _counted(session)


def test_an_archive_moves_the_counted_rows_and_the_target_counts_them_again(county, empty_url, tmp_path):
    report = export_data(county, tmp_path / "county.zip")
    assert not set(TRIGGER_KEPT_TABLES) & set(report.counts)  # kept by triggers, not carried
    import_data(empty_url, report.path)
    moved = Database(empty_url)
    try:
        with county.session() as before, moved.session() as after:
            assert _kept(after) == _counted(after) == _kept(before)
            assert sum(_kept(after)[0].values()) > 0
    finally:
        moved.dispose()
