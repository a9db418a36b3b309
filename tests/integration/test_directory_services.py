"""Browsing and editing 库1 and 库2 on the sample county, on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db.models import Subject
from app.services.directory import inspectors
from app.services.directory import subjects
from app.services.errors import UserError
from app.services.directory.subject_query import SubjectFilter, count_subjects, facets, fetch_subjects
from tests.actors import CLERK

TODAY = date(2026, 11, 23)


@pytest.fixture
def county(demo_county):
    return demo_county(CLERK, subjects=600, today=TODAY)


def test_filter_by_region_and_risk_matches_a_direct_count(county):
    flt = SubjectFilter(regions=("城关镇", "河口镇"), risk_classes=("C", "D"))
    with county.session() as s:
        expected = s.scalar(select(func.count()).select_from(Subject).where(
            Subject.region.in_(flt.regions), Subject.risk_class.in_(flt.risk_classes)))
    assert count_subjects(county, flt) == expected > 0
    rows = fetch_subjects(county, flt, sort="name", limit=1000)
    assert len(rows) == expected
    assert all(r.region in flt.regions and r.risk_class in "CD" for r in rows)
    assert [r.name for r in rows] == sorted(r.name for r in rows) or county.backend == "postgresql"


def test_search_by_name_fragment_or_code_prefix(county):
    first = fetch_subjects(county, SubjectFilter(), limit=1)[0]
    by_code = fetch_subjects(county, SubjectFilter(text=first.code[:12].lower()))
    assert first.id in [r.id for r in by_code]
    fragment = first.name[3:7]
    assert all(fragment in r.name or r.code.startswith(fragment.upper())
               for r in fetch_subjects(county, SubjectFilter(text=fragment)))


def test_paging_and_sorting_are_done_by_the_database(county):
    page1 = fetch_subjects(county, SubjectFilter(), sort="established_on", descending=True, offset=0, limit=50)
    page2 = fetch_subjects(county, SubjectFilter(), sort="established_on", descending=True, offset=50, limit=50)
    dates = [r.established_on for r in page1 + page2]
    assert dates == sorted(dates, reverse=True)
    assert not {r.id for r in page1} & {r.id for r in page2}


def test_facets_offer_the_values_in_use(county):
    values = facets(county)
    assert len(values.regions) == 12
    assert "个体工商户" in values.subject_types
    assert "食品经营" in values.tags


def test_filter_round_trips_and_describes_itself():
    flt = SubjectFilter(text="超市", regions=("城关镇",), risk_classes=("D",), flags=("key_supervision",))
    assert SubjectFilter.from_dict(flt.to_dict()) == flt
    assert flt.describe() == "名称或代码含“超市”；区域：城关镇；风险：高风险；重点监管对象"
    with pytest.raises(ValueError):
        SubjectFilter.from_dict({"colour": ["red"]})


def test_bulk_tag_and_untag_by_filter(county):
    flt = SubjectFilter(regions=("桃源乡",))
    n = count_subjects(county, flt)
    assert subjects.tag_subjects(county, CLERK, flt, "2026年重点整治") == n
    assert subjects.tag_subjects(county, CLERK, flt, "2026年重点整治") == 0  # already tagged
    assert count_subjects(county, SubjectFilter(tags=("2026年重点整治",))) == n
    assert subjects.tag_subjects(county, CLERK, flt, "2026年重点整治", add=False) == n
    assert count_subjects(county, SubjectFilter(tags=("2026年重点整治",))) == 0


def test_saved_filter_is_a_departments_special_list(county):
    flt = SubjectFilter(industries=("住宿和餐饮业",))
    saved_id = subjects.save_filter(county, CLERK, 1, "餐饮服务专用名录", flt)
    [row] = subjects.list_saved_filters(county, 1)
    assert (row.id, row.name, row.filter) == (saved_id, "餐饮服务专用名录", flt)
    subjects.delete_filter(county, CLERK, saved_id)
    assert subjects.list_saved_filters(county, 1) == []


def test_edit_subject_validates_and_refuses_a_code_taken_by_another(county):
    a, b = fetch_subjects(county, SubjectFilter(), limit=2)
    detail = subjects.get_subject(county, a.id)
    detail.name = "青禾县改名后的超市"
    detail.tags = ["食品经营", "新标签"]
    subjects.save_subject(county, CLERK, detail)
    again = subjects.get_subject(county, a.id)
    assert again.name == "青禾县改名后的超市" and sorted(again.tags) == ["新标签", "食品经营"]
    detail.code = b.code
    with pytest.raises(UserError, match="另一户"):
        subjects.save_subject(county, CLERK, detail)
    detail.code, detail.name = a.code, ""
    with pytest.raises(UserError, match="名称不能为空"):
        subjects.save_subject(county, CLERK, detail)


def test_check_subject_warns_on_bad_check_character_and_blocks_garbage():
    ok = subjects.SubjectDetail(id=None, code="91350100M000100Y43", name="某公司")
    assert subjects.check_subject(ok).errors == {}
    bad_check = subjects.SubjectDetail(id=None, code="91350100M000100Y44", name="某公司")
    problems = subjects.check_subject(bad_check)
    assert problems.errors == {} and "校验位" in problems.warnings["code"]
    assert "code" in subjects.check_subject(subjects.SubjectDetail(id=None, code="12345", name="某")).errors


def test_inspectors_eligible_today_and_why_not(county):
    rows = inspectors.list_inspectors(county, on=TODAY)
    assert len(rows) == 60
    refused = [r for r in rows if not r.eligible]
    reasons = " ".join(" ".join(r.reasons) for r in refused)
    assert "执法证已于" in reasons and "请假" in reasons and "借调" in reasons and "调离" in reasons
    assert len(refused) == 3 + 4 + 1 + 1
    eligible = inspectors.list_inspectors(county, on=TODAY, only_eligible=True)
    assert len(eligible) == 60 - len(refused)
    experts = [r for r in rows if r.category == "专家"]
    assert experts and all(r.eligible for r in experts)


def test_edit_inspector_and_record_leave(county):
    row = next(r for r in inspectors.list_inspectors(county, on=TODAY, only_eligible=True) if r.category != "专家")
    detail = inspectors.get_inspector(county, row.id)
    detail.can_lead = not detail.can_lead
    inspectors.save_inspector(county, CLERK, detail)
    assert inspectors.get_inspector(county, row.id).can_lead == detail.can_lead
    inspectors.add_status_period(county, CLERK, row.id, "请假", TODAY, date(2026, 11, 30), "年休假")
    [after] = [r for r in inspectors.list_inspectors(county, on=TODAY) if r.id == row.id]
    assert after.status == "请假" and not after.eligible
    with pytest.raises(UserError, match="早于"):
        inspectors.add_status_period(county, CLERK, row.id, "请假", TODAY, date(2026, 11, 1))
    detail.certificate_no = ""
    with pytest.raises(UserError, match="执法证号"):
        inspectors.save_inspector(county, CLERK, detail)
