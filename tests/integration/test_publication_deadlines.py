"""Deadlines of the items to publish, on both databases: from approval, from the draw (突击检查:
after the inspections), from each result, 行政处罚; marking published; calendar changes."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.publication import PublicationState
from app.domain.workdays import HolidayRange, YearArrangement
from app.services.errors import UserError
from app.services.publication import calendar, publications
from tests.actors import ADMIN, CLERK, READER
from tests.integration.publication_data import build_county, inspect

D = date.fromisoformat


def _by_kind(items):
    found = {}
    for item in items:
        found.setdefault(item.kind, []).append(item)
    return found


def test_plan_and_list_deadlines_count_working_days(database):
    build_county(database)
    found = _by_kind(publications.items(database, D("2026-10-09")))
    (plan,) = found["年度计划"]
    # approved 02-10: 11, 12, 13, 14 (调休), then 春节 02-15 … 02-23, 24 … 28 (调休), 03-02.
    assert (plan.counted_from, plan.due_on, plan.working_days) == (D("2026-02-10"), D("2026-03-02"), 10)
    assert plan.state is PublicationState.OVERDUE
    (drawn,) = found["抽取名单"]  # the 突击检查 task has no list yet
    # drawn 09-29: 09-30, then 国庆 10-01 … 10-07; 10-08, 09, 10 (调休), 12 … 16, 19.
    assert (drawn.counted_from, drawn.due_on) == (D("2026-09-29"), D("2026-10-19"))
    assert drawn.state is PublicationState.UPCOMING and drawn.working_days_left == 7
    assert _by_kind(publications.items(database, D("2026-10-13")))["抽取名单"][0].state is PublicationState.UPCOMING
    assert _by_kind(publications.items(database, D("2026-10-14")))["抽取名单"][0].state is PublicationState.DUE_SOON
    late = _by_kind(publications.items(database, D("2026-10-21")))["抽取名单"][0]
    assert late.state is PublicationState.OVERDUE and late.working_days_left == -2
    assert drawn.department == "青禾县市场监督管理局"


def test_surprise_inspection_list_only_after_every_inspection_is_done(database):
    county = build_county(database)
    first, second = county.surprise_inspection_ids
    inspect(database, first, D("2026-11-03"))
    lists = _by_kind(publications.items(database, D("2026-11-04")))["抽取名单"]
    assert [i.task_id for i in lists] == [county.task_id]  # still secret while one is 待检查
    inspect(database, second, D("2026-11-05"))
    lists = _by_kind(publications.items(database, D("2026-11-06")))["抽取名单"]
    surprise = next(i for i in lists if i.task_id == county.surprise_task_id)
    assert surprise.counted_from == D("2026-11-05")  # the last inspection, not the draw (11-02)
    assert surprise.due_on == D("2026-11-19")


def test_each_result_counts_from_its_inspection_and_a_task_day_is_one_line(database):
    county = build_county(database)
    for inspection_id in county.inspection_ids:
        inspect(database, inspection_id, D("2026-10-20"))
    (results,) = _by_kind(publications.items(database, D("2026-10-21")))["检查结果"]
    assert len(results.ids) == 2 and results.title.endswith("（2 户）")
    assert results.due_on == D("2026-11-17")  # 20 working days, no holiday in between


def test_a_december_result_warns_until_2027_is_entered(database):
    county = build_county(database)
    inspect(database, county.inspection_ids[0], D("2026-12-15"))
    (result,) = _by_kind(publications.items(database, D("2026-12-16")))["检查结果"]
    assert result.due_on == D("2027-01-12") and result.warning == "2027 年节假日安排尚未确认"
    calendar.save_arrangement(database, ADMIN, YearArrangement(
        2027, (HolidayRange(D("2027-01-01"), D("2027-01-03"), "元旦"),)), source="国办发明电〔2026〕X号")
    (result,) = _by_kind(publications.items(database, D("2026-12-16")))["检查结果"]
    assert result.due_on == D("2027-01-13") and result.warning == ""
    assert calendar.year_statuses(database, [2026, 2027, 2028])[1].confirmed


def test_an_office_correction_moves_unpublished_deadlines_only(database):
    build_county(database)
    publications.items(database, D("2026-10-09"))
    plan = _by_kind(publications.items(database, D("2026-10-09")))["年度计划"][0]
    publications.mark_published(database, CLERK, plan.ids, D("2026-03-05"), "国家企业信用信息公示系统", today=D("2026-10-09"))
    calendar.mark_day(database, ADMIN, D("2026-10-12"), "休", note="县里统一安排")
    found = _by_kind(publications.items(database, D("2026-10-09"), include_published=True))
    assert found["抽取名单"][0].due_on == D("2026-10-20")
    assert found["年度计划"][0].due_on == D("2026-03-02")  # published: keeps its deadline
    assert found["年度计划"][0].state is PublicationState.LATE
    with pytest.raises(UserError, match="班.*休"):
        calendar.mark_day(database, ADMIN, D("2026-10-12"), "假")
    with pytest.raises(UserError, match="管理员"):
        calendar.mark_day(database, CLERK, D("2026-10-12"), "班")


def test_marking_published_checks_what_the_clerk_typed(database):
    build_county(database)
    (drawn,) = _by_kind(publications.items(database, D("2026-10-09")))["抽取名单"]
    with pytest.raises(UserError, match="公示渠道"):
        publications.mark_published(database, CLERK, drawn.ids, D("2026-10-09"), "  ", today=D("2026-10-09"))
    with pytest.raises(UserError, match="晚于今天"):
        publications.mark_published(database, CLERK, drawn.ids, D("2026-10-10"), "网站", today=D("2026-10-09"))
    with pytest.raises(UserError, match="早于.*起算日"):
        publications.mark_published(database, CLERK, drawn.ids, D("2026-09-20"), "网站", today=D("2026-10-09"))
    with pytest.raises(UserError, match="只读|权限"):
        publications.mark_published(database, READER, drawn.ids, D("2026-10-09"), "网站", today=D("2026-10-09"))
    publications.mark_published(database, CLERK, drawn.ids, D("2026-10-09"), "http://www.qinghe.gov.cn/gs",
                                today=D("2026-10-09"))
    assert "抽取名单" not in _by_kind(publications.items(database, D("2026-10-09")))
    with pytest.raises(UserError, match="已于 2026-10-09"):
        publications.mark_published(database, CLERK, drawn.ids, D("2026-10-09"), "网站", today=D("2026-10-09"))


def test_penalty_information_within_seven_working_days(database):
    county = build_county(database)
    inspection = county.inspection_ids[0]
    inspect(database, inspection, D("2026-10-20"), category="发现问题待后续处理", handling="立案查处")
    with pytest.raises(UserError, match="立案查处"):
        publications.record_penalty_decision(database, CLERK, county.inspection_ids[1], D("2026-11-02"))
    publications.record_penalty_decision(database, CLERK, inspection, D("2026-11-02"))
    (penalty,) = _by_kind(publications.items(database, D("2026-11-03")))["行政处罚"]
    assert penalty.due_on == D("2026-11-11")


def test_settings_change_the_days_and_the_required_kinds(database):
    county = build_county(database)
    inspect(database, county.inspection_ids[0], D("2026-10-20"))
    days = {"年度计划": 10, "抽取名单": 10, "检查结果": 10, "行政处罚": 7}
    publications.save_rules(database, ADMIN, days, ["抽取名单", "检查结果"])
    found = _by_kind(publications.items(database, D("2026-10-21")))
    assert set(found) == {"抽取名单", "检查结果"}
    assert found["检查结果"][0].due_on == D("2026-11-03")
    with pytest.raises(UserError, match="1 到 60"):
        publications.save_rules(database, ADMIN, {**days, "检查结果": 0}, ["检查结果"])


def test_the_plan_page_date_counts_as_published(database):
    county = build_county(database)
    from app.db.models import Plan

    with database.session() as session:
        session.get(Plan, county.plan_id).published_on = D("2026-02-24")
    (plan,) = [i for i in publications.items(database, D("2026-10-09"), include_published=True) if i.kind == "年度计划"]
    assert plan.published_on == D("2026-02-24") and plan.state is PublicationState.ON_TIME


def test_only_reviewed_results_are_published_and_entered_ones_end_the_surprise_secrecy(database):
    """审核通过 (the results review) counts as reviewed; 已录入 is not yet, but it is inspected."""
    from app.db.models import Inspection

    county = build_county(database)
    with database.session() as session:
        for inspection_id, status in zip(county.inspection_ids, ("审核通过", "已录入")):
            row = session.get(Inspection, inspection_id)
            row.status, row.inspected_on = status, D("2026-11-02")
        for inspection_id in county.surprise_inspection_ids:
            row = session.get(Inspection, inspection_id)
            row.status, row.inspected_on = "已录入", D("2026-11-04")
    found = _by_kind(publications.items(database, D("2026-11-05")))
    (results,) = found["检查结果"]
    assert len(results.ids) == 1 and results.due_on == D("2026-11-30")
    assert {i.task_id for i in found["抽取名单"]} == {county.task_id, county.surprise_task_id}
