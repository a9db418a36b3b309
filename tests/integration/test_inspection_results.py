"""Inspections from a draw, results entry and the four-eyes review — both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.db.models import AuditEntry, Inspection, ItemResult
from app.domain.replacement import ReplacementReason
from app.domain.inspection import NO_PROBLEM, FollowUp, ItemOutcome, Outcome
from app.domain.inspection import InspectionStatus as S
from app.services.draw import ceremony as draws
from app.services.accounts import NotPermitted
from app.services.errors import UserError
from app.services.inspection import categories, entry, records
from app.services.directory.subjects import inspection_history
from app.services.planning.population import times_drawn_query
from tests.actors import ADMIN, CLERK, CLERK2, REVIEWER, SUPERVISOR
from tests.integration.inspection_county import (
    TODAY,
    demo_county,
    draw_task,
    task_named,
)

INSPECTED = date(2026, 11, 26)


@pytest.fixture
def drawn(database, tmp_path):
    demo_county(database)
    task_id = task_named(database, "食品销售经营者")
    view = draw_task(database, task_id, tmp_path / "包")
    return database, task_id, view


def _clean(detail: records.InspectionDetail) -> Outcome:
    return Outcome(inspected_on=INSPECTED, methods=("实地检查",),
                   items=tuple(ItemOutcome(i.check_item_id) for i in detail.items))


def _problem(detail: records.InspectionDetail) -> Outcome:
    first, *rest = detail.items
    return Outcome(
        inspected_on=INSPECTED, methods=("实地检查", "书面检查"),
        items=(ItemOutcome(first.check_item_id, "冷藏柜温度 12℃，超过标示温度", "发现问题已责令改正", "当场责令整改"),
               *(ItemOutcome(i.check_item_id) for i in rest)),
        categories=("发现问题已责令改正",), follow_ups=(FollowUp.RECTIFY.value,), rectify_by=date(2026, 12, 10))


def test_every_drawn_subject_has_its_inspection_with_team_leader_and_items(drawn):
    db, task_id, view = drawn
    rows = records.list_inspections(db, task_id)
    assert len(rows) == len(view.result["subjects"]) == 10
    assert {r.status for r in rows} == {S.PENDING}
    assert all(r.team.startswith("第") and r.leader in r.members and len(r.members) == 2 for r in rows)
    detail = records.get_inspection(db, rows[0].id)
    assert sorted(i.name for i in detail.items) == ["一般风险食品销售监督检查", "高风险食品销售监督检查"]
    assert all(i.category == "" for i in detail.items)  # nothing entered yet


def test_entry_submit_return_correct_and_approve_by_another_person(drawn):
    db, task_id, _ = drawn
    first, second = records.list_inspections(db, task_id)[:2]
    entry.save_result(db, CLERK, first.id, _clean(records.get_inspection(db, first.id)))
    saved = entry.save_result(db, CLERK, second.id, _problem(records.get_inspection(db, second.id)))
    assert saved.status == S.ENTERED and saved.result == "发现问题已责令改正" and saved.handling == "责令改正"
    assert entry.submit(db, CLERK, [first.id, second.id]) == 2

    with pytest.raises(UserError, match="原因"):
        entry.return_results(db, REVIEWER, [second.id], " ")
    entry.return_results(db, REVIEWER, [second.id], "整改期限应为15日")
    entry.approve(db, REVIEWER, [first.id])
    rows = {r.id: r for r in records.list_inspections(db, task_id)}
    assert rows[first.id].status == S.APPROVED
    assert rows[second.id].status == S.RETURNED and rows[second.id].returned_reason == "整改期限应为15日"

    with pytest.raises(UserError, match="已录入"):  # a returned result is corrected before it goes back
        entry.submit(db, CLERK, [second.id])
    fixed = replace(_problem(records.get_inspection(db, second.id)), rectify_by=date(2026, 12, 11))
    entry.save_result(db, CLERK2, second.id, fixed)
    entry.submit(db, CLERK2, [second.id])
    entry.approve(db, REVIEWER, [second.id])
    detail = records.get_inspection(db, second.id)
    assert (detail.row.status, detail.entered_by, detail.reviewed_by) == (S.APPROVED, "clerk2", "reviewer")
    assert detail.rectify_by == date(2026, 12, 11) and detail.items[0].finding.startswith("冷藏柜温度")
    with pytest.raises(UserError, match="审核"):  # an approved result is no longer edited
        entry.save_result(db, CLERK, second.id, fixed)
    with db.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "inspection")).all()
    assert actions.count("录入检查结果") == 3 and actions.count("审核通过检查结果") == 2
    assert actions.count("退回检查结果") == 1 and actions.count("提交审核检查结果") == 3


def test_the_person_who_entered_a_result_cannot_approve_it(drawn):
    db, task_id, _ = drawn
    both = replace(CLERK, roles=CLERK.roles | REVIEWER.roles)
    row = records.list_inspections(db, task_id)[0]
    entry.save_result(db, both, row.id, _clean(records.get_inspection(db, row.id)))
    entry.submit(db, CLERK2, [row.id])
    with pytest.raises(NotPermitted, match="另一人审核"):
        entry.approve(db, both, [row.id])
    with pytest.raises(NotPermitted, match="审核人"):
        entry.approve(db, CLERK2, [row.id])
    assert records.get_inspection(db, row.id).row.status == S.SUBMITTED


@pytest.mark.parametrize("change, message", [
    ({"categories": (NO_PROBLEM, "未按规定公示应当公示的信息")}, "不能与其他检查结果同时选择"),
    ({"categories": ("查无此类",)}, "不是检查结果类别"),
    ({"categories": ("发现问题待后续处理",), "follow_ups": ("责令改正",)}, "整改期限"),
    ({"categories": ("发现问题待后续处理",), "follow_ups": ("移送相关部门",), "handed_to": "县卫健委"}, "移送日期"),
    ({"inspected_on": date(2026, 11, 20)}, "不在任务的检查期间"),
    ({"inspected_on": None}, "请填写检查日期"),
    ({"methods": ()}, "核查方式"),
])
def test_a_result_breaking_a_rule_is_refused_and_nothing_is_stored(drawn, change, message):
    db, task_id, _ = drawn
    row = records.list_inspections(db, task_id)[0]
    with pytest.raises(UserError, match=message):
        entry.save_result(db, CLERK, row.id, replace(_clean(records.get_inspection(db, row.id)), **change))
    detail = records.get_inspection(db, row.id)
    assert detail.row.status == S.PENDING and detail.categories == () and detail.row.inspected_on is None


def test_transfer_and_close_follow_up(drawn):
    db, task_id, _ = drawn
    row = records.list_inspections(db, task_id)[3]
    outcome = replace(_clean(records.get_inspection(db, row.id)), categories=("发现问题待后续处理",),
                      follow_ups=(FollowUp.TRANSFER.value, FollowUp.COPY.value), handed_to="青禾县卫生健康委员会",
                      handed_on=date(2026, 11, 28), copied_to="青禾县应急管理局")
    saved = entry.save_result(db, CLERK, row.id, outcome)
    assert saved.handling == "移送相关部门、抄告相关部门" and saved.closed_on is None
    with pytest.raises(UserError, match="早于检查日期"):
        entry.close_follow_up(db, CLERK, row.id, date(2026, 11, 1))
    closed = entry.close_follow_up(db, CLERK, row.id, date(2026, 12, 5), "卫健委已立案")
    assert closed.closed_on == date(2026, 12, 5)


def test_replacement_moves_the_inspection_and_an_entered_one_cannot_be_replaced(drawn):
    db, task_id, view = drawn
    rows = records.list_inspections(db, task_id)
    gone = rows[0]
    after = draws.replace_subject(db, CLERK, view.id, gone.subject_code, ReplacementReason.UNREACHABLE,
                                  confirmed_by=SUPERVISOR)
    now = {r.subject_code: r for r in records.list_inspections(db, task_id)}
    assert now[gone.subject_code].status == S.REPLACED
    assert now[gone.subject_code].replaced_reason.startswith("经核实无法联系")
    newcomer = next(s["id"] for s in after.result["subjects"] if s["id"] not in {r.subject_code for r in rows})
    assert now[newcomer].status == S.PENDING and now[newcomer].team
    assert len(records.get_inspection(db, now[newcomer].id).items) == 2
    assert gone.subject_code not in {r.subject_code for r in records.list_inspections(db, task_id, S.PENDING)}

    entered = rows[1]
    entry.save_result(db, CLERK, entered.id, _clean(records.get_inspection(db, entered.id)))
    with pytest.raises(UserError, match="已经录入"):
        draws.replace_subject(db, CLERK, view.id, entered.subject_code, ReplacementReason.DEREGISTERED,
                              confirmed_by=SUPERVISOR)
    assert records.get_inspection(db, entered.id).row.status == S.ENTERED
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Inspection).where(Inspection.task_id == task_id)) == 11
        assert session.scalar(select(func.count()).select_from(ItemResult)) == 22  # the replaced one keeps its rows


def test_subject_history_and_the_yearly_cap_read_the_inspections(drawn):
    db, task_id, _ = drawn
    row = records.list_inspections(db, task_id)[2]
    entry.save_result(db, CLERK, row.id, _problem(records.get_inspection(db, row.id)))
    history = inspection_history(db, row.subject_id, today=TODAY)
    assert history.this_year == 1 and history.last_result == "发现问题已责令改正"
    with db.session() as session:
        counts = dict(session.execute(times_drawn_query(TODAY.year)).all())
    assert counts[row.subject_id] == 1 and len(counts) == 10


def test_find_an_inspection_by_its_qr_text_or_code(drawn):
    db, task_id, _ = drawn
    row = records.list_inspections(db, task_id)[4]
    assert records.find_inspection(db, row.qr_text, task_id).id == row.id
    assert records.find_inspection(db, row.qr_text.lower(), task_id).id == row.id
    assert records.find_inspection(db, row.subject_code, task_id).id == row.id
    with pytest.raises(UserError, match="不属于"):
        records.find_inspection(db, f"SSJJC:{row.id}:91000000000000000X", task_id)
    with pytest.raises(UserError, match="另一任务"):
        records.find_inspection(db, row.qr_text, task_named(db, "企业公示信息"))


def test_an_admin_rewords_the_result_categories(drawn):
    db, task_id, _ = drawn
    with pytest.raises(NotPermitted):
        categories.set_result_categories(db, CLERK, ["未发现问题"])
    with pytest.raises(UserError, match="必须保留"):
        categories.set_result_categories(db, ADMIN, ["无问题", "有问题"])
    categories.set_result_categories(db, ADMIN, [NO_PROBLEM, "发现问题已当场整改"])
    assert categories.result_categories(db) == (NO_PROBLEM, "发现问题已当场整改")
    row = records.list_inspections(db, task_id)[0]
    with pytest.raises(UserError, match="不是检查结果类别"):
        entry.save_result(db, CLERK, row.id, _problem(records.get_inspection(db, row.id)))
