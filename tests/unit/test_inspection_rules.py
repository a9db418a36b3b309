"""The rules a result obeys (app/domain/inspection.py), and the 检查表 QR text."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.credit_code import ALPHABET
from app.domain.inspection import (
    DEFAULT_CATEGORIES,
    FOLLOW_UPS,
    NO_PROBLEM,
    FollowUp,
    Outcome,
    category_problems,
    date_problems,
    follow_up_problems,
    parse_qr,
    qr_payload,
)

codes = st.text(alphabet=ALPHABET, min_size=15, max_size=18)


@given(st.integers(min_value=1, max_value=10**9), codes)
def test_qr_text_names_its_inspection_back(inspection_id, code):
    text = qr_payload(inspection_id, code)
    assert text.isascii()  # a USB scanner types it on any keyboard layout
    assert parse_qr(text) == (inspection_id, code)
    assert parse_qr(f"  {text.lower()}\n") == (inspection_id, code)


@given(st.text(max_size=40))
def test_other_text_is_not_a_form_code(text):
    if not text.strip().upper().startswith("SSJJC:"):
        assert parse_qr(text) is None


@given(st.sets(st.sampled_from(DEFAULT_CATEGORIES), min_size=1))
def test_no_problem_stands_alone(chosen):
    problems = category_problems(tuple(chosen), DEFAULT_CATEGORIES)
    assert bool(problems) == (NO_PROBLEM in chosen and len(chosen) > 1)
    assert all(field == "检查结果" for field, _ in problems)


def test_an_empty_or_unknown_result_is_refused():
    assert category_problems((), DEFAULT_CATEGORIES) == [("检查结果", "请选择检查结果。")]
    [(_, message)] = category_problems(("差不多",), DEFAULT_CATEGORIES)
    assert "“差不多”不是检查结果类别" in message


@given(st.sets(st.sampled_from(FOLLOW_UPS), min_size=1))
def test_each_follow_up_asks_for_its_details(chosen):
    bare = Outcome(inspected_on=date(2026, 11, 25), categories=("发现问题待后续处理",), follow_ups=tuple(chosen))
    fields = {field for field, _ in follow_up_problems(bare)}
    assert ("整改期限" in fields) == (FollowUp.RECTIFY in chosen)
    assert ("移送部门" in fields) == ("移送日期" in fields) == (FollowUp.TRANSFER in chosen)
    assert ("抄告部门" in fields) == (FollowUp.COPY in chosen)
    assert ("后续处置" in fields) == (FollowUp.NONE in chosen and len(chosen) > 1)
    complete = Outcome(inspected_on=date(2026, 11, 25), categories=("发现问题待后续处理",), follow_ups=tuple(chosen),
                       rectify_by=date(2026, 12, 10), handed_to="县卫健委", handed_on=date(2026, 11, 26),
                       copied_to="县应急局")
    assert {field for field, _ in follow_up_problems(complete)} <= {"后续处置"}


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)))
def test_the_inspection_date_lies_in_the_task_period(day):
    starts, ends = date(2026, 9, 1), date(2026, 11, 30)
    problems = date_problems(Outcome(inspected_on=day), starts, ends)
    assert bool(problems) == (not starts <= day <= ends)
    later = Outcome(inspected_on=day, rectify_by=day - timedelta(days=1))
    assert ("整改期限" in {f for f, _ in date_problems(later, None, None)})
