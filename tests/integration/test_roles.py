"""Every data-changing service refuses, in Chinese and before changing anything, an account
without the role it needs; four-eyes on plan approval and on draw replacements (both backends)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.models import AuditEntry, DrawStep, Plan
from app.domain.accounts import Role
from app.domain.replacement import ReplacementReason
from app.domain.draw import verify_package
from app.services.system import audit
from app.services.directory import check_items
from app.services.demo import county as demo
from app.services.draw import record as draw_record
from app.services.draw import ceremony as draws
from app.services.directory import inspectors
from app.services.planning import tasks as plan_tasks
from app.services.planning import plans
from app.services.rulebooks import templates
from app.services.rulebooks import versions as rulebooks
from app.services.system import settings, setup
from app.services.directory import subjects
from app.services.accounts import NotPermitted
from app.services.directory.imports import import_inspectors, import_subjects
from app.services.system.settings import set_yearly_cap
from app.services.draw.inputs import task_draw_spec
from tests.actors import ADMIN, CLERK, CLERK2, READER, REVIEWER, SUPERVISOR
from tests.integration.test_plans_and_tasks import TODAY, _plan, _task

EVERYONE = (ADMIN, CLERK, REVIEWER, SUPERVISOR, READER)
DAY = date(2026, 5, 1)
WITNESSES = [draws.Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"),
             draws.Witness("李代表", "县人大代表", "00098765432")]

# service call (acting as ``a``) → the roles that may make it
GUARDED = {
    "修改设置": (lambda db, a: settings.save_settings(db, a, {}), {Role.ADMIN}),
    "部门": (lambda db, a: settings.save_departments(db, a, []), {Role.ADMIN}),
    "恢复默认模板": (lambda db, a: templates.restore_default("notice", db, a), {Role.ADMIN}),
    "年度抽查次数上限": (lambda db, a: set_yearly_cap(db, a, 3), {Role.ADMIN}),
    "建库向导": (lambda db, a: setup.finish_step(db, a, 0), {Role.ADMIN, Role.CLERK}),
    "示例县": (lambda db, a: demo.create_demo(db, a, subjects=1), {Role.ADMIN, Role.CLERK}),
    "导入事项清单": (lambda db, a: check_items.import_check_items(db, a, "清单.xlsx"), {Role.CLERK}),
    "停用事项": (lambda db, a: check_items.set_enabled(db, a, 1, False, "取消"), {Role.CLERK}),
    "导入检查对象": (lambda db, a: import_subjects(db, a, "名录.xlsx"), {Role.CLERK}),
    "导入执法人员": (lambda db, a: import_inspectors(db, a, "人员.xlsx"), {Role.CLERK}),
    "编辑检查对象": (lambda db, a: subjects.save_subject(db, a, None), {Role.CLERK}),
    "打标签": (lambda db, a: subjects.tag_subjects(db, a, None, "标签"), {Role.CLERK}),
    "保存专用名录": (lambda db, a: subjects.save_filter(db, a, 1, "名录", None), {Role.CLERK}),
    "删除专用名录": (lambda db, a: subjects.delete_filter(db, a, 1), {Role.CLERK}),
    "编辑执法人员": (lambda db, a: inspectors.save_inspector(db, a, None), {Role.CLERK}),
    "人员状态": (lambda db, a: inspectors.add_status_period(db, a, 1, "请假", DAY, None), {Role.CLERK}),
    "工作细则": (lambda db, a: rulebooks.save_rulebook(db, a, None), {Role.CLERK}),
    "工作指引": (lambda db, a: rulebooks.save_guide(db, a, None), {Role.CLERK}),
    "生成指引": (lambda db, a: rulebooks.generate_default_guides(db, a, 1), {Role.CLERK}),
    "新建计划": (lambda db, a: plans.save_plan(db, a, None), {Role.CLERK}),
    "删除计划": (lambda db, a: plans.delete_plan(db, a, 1), {Role.CLERK}),
    "提交审批": (lambda db, a: plans.submit_plan(db, a, 1), {Role.CLERK}),
    "登记备案": (lambda db, a: plans.record_filing(db, a, 1, DAY), {Role.CLERK}),
    "公示计划": (lambda db, a: plans.publish_plan(db, a, 1, DAY), {Role.CLERK}),
    "调整计划": (lambda db, a: plans.adjust_plan(db, a, 1, "原因"), {Role.CLERK}),
    "审批通过": (lambda db, a: plans.approve_plan(db, a, 1, DAY), {Role.REVIEWER}),
    "退回修改": (lambda db, a: plans.return_plan(db, a, 1, "原因"), {Role.REVIEWER}),
    "新建任务": (lambda db, a: plan_tasks.save_task(db, a, None), {Role.CLERK}),
    "删除任务": (lambda db, a: plan_tasks.delete_task(db, a, 1), {Role.CLERK}),
    "开始抽取": (lambda db, a: draws.start_draw(db, a, 1), {Role.CLERK}),
    "见证人": (lambda db, a: draws.record_witnesses(db, a, 1, WITNESSES), {Role.CLERK}),
    "揭示": (lambda db, a: draws.reveal(db, a, 1), {Role.CLERK}),
    "抽取对象": (lambda db, a: draws.select_subjects(db, a, 1), {Role.CLERK}),
    "匹配人员": (lambda db, a: draws.match_teams(db, a, 1), {Role.CLERK}),
    "完成抽取": (lambda db, a: draws.finish(db, a, 1), {Role.CLERK}),
    "放弃抽取": (lambda db, a: draws.abandon(db, a, 1, "原因"), {Role.CLERK}),
    "替换对象": (lambda db, a: draws.replace_subject(db, a, 1, "x", ReplacementReason.DEREGISTERED, confirmed_by=SUPERVISOR), {Role.CLERK}),
}


def _entries(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("action", GUARDED, ids=list(GUARDED))
def test_a_service_refuses_every_account_without_its_role(database, action):
    call, allowed = GUARDED[action]
    refused = [a for a in EVERYONE if not a.roles & allowed]
    assert refused  # every role boundary has someone on the other side
    for actor in refused:
        with pytest.raises(NotPermitted) as caught:
            call(database, actor)
        message = str(caught.value)
        assert f"“{actor.name}”没有" in message and any(role.value in message for role in allowed)
    assert _entries(database) == 0


@pytest.fixture
def county(database):
    demo.create_demo(database, CLERK, subjects=300, today=TODAY, with_plan=False)
    return database


def test_the_person_who_submitted_a_plan_cannot_approve_it(county):
    both = replace(CLERK, roles=frozenset({Role.CLERK, Role.REVIEWER}))  # a clerk who is also a reviewer
    plan_id = _plan(county)
    _task(county, plan_id)
    plans.submit_plan(county, both, plan_id)
    with pytest.raises(NotPermitted, match="须由另一人审核"):
        plans.approve_plan(county, both, plan_id, date(2026, 1, 20))
    assert plans.get_plan(county, plan_id).approved_on is None
    plans.approve_plan(county, REVIEWER, plan_id, date(2026, 1, 20))
    with county.session() as s:
        plan = s.get(Plan, plan_id)
        assert (plan.submitted_by, plan.approved_by) == ("clerk", REVIEWER.name)
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (last.action, last.actor, last.role) == ("审批通过", REVIEWER.name, "审核人")


def test_another_clerks_submission_can_be_approved_by_a_clerk_who_also_reviews(county):
    both = replace(CLERK2, roles=frozenset({Role.CLERK, Role.REVIEWER}))
    plan_id = _plan(county)
    _task(county, plan_id)
    plans.submit_plan(county, CLERK, plan_id)
    plans.approve_plan(county, both, plan_id, date(2026, 1, 20))
    assert plans.get_plan(county, plan_id).approved_on == date(2026, 1, 20)


@pytest.fixture
def drawn(database, tmp_path):
    demo.create_demo(database, CLERK, subjects=300, today=TODAY)
    task = draws.task_draw_states(database)[0]
    view, _ = draws.run_draw(database, CLERK, task.id, WITNESSES, "", Path(tmp_path) / "包", today=TODAY)
    return database, view


def test_a_replacement_needs_a_supervisors_confirmation_recorded_with_it(drawn):
    db, view = drawn
    gone = view.result["subjects"][0]["id"]
    for confirmer, why in ((CLERK2, "监督员"), (REVIEWER, "监督员"), (READER, "监督员")):
        with pytest.raises(NotPermitted, match=why):
            draws.replace_subject(db, CLERK, view.id, gone, ReplacementReason.DEREGISTERED, confirmed_by=confirmer)
    self_confirming = replace(CLERK, roles=frozenset({Role.CLERK, Role.SUPERVISOR}))
    with pytest.raises(NotPermitted, match="另一人"):
        draws.replace_subject(db, self_confirming, view.id, gone, ReplacementReason.DEREGISTERED, confirmed_by=self_confirming)
    assert not draws.get_draw(db, view.id).replacements
    after = draws.replace_subject(db, CLERK, view.id, gone, ReplacementReason.DEREGISTERED, confirmed_by=SUPERVISOR)
    assert gone not in {s["id"] for s in after.result["subjects"]}
    with db.session() as s:
        step = s.scalars(select(DrawStep).where(DrawStep.draw_id == view.id).order_by(DrawStep.seq.desc())).first()
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (step.step, step.actor, step.payload["监督员确认"]) == ("替换对象", CLERK.name, SUPERVISOR.name)
    assert (entry.action, entry.actor, entry.details["监督员确认"]) == ("替换对象", CLERK.name, SUPERVISOR.name)


def test_the_draw_record_and_the_package_carry_the_audit_head(drawn, tmp_path):
    db, view = drawn
    with db.session() as s:
        head = audit.head(s)
    context = draw_record.record_context(view, task_draw_spec(db, view.task_id), audit_head=head)
    assert head in context["核验说明"]
    package = draws.export_package(db, view.id, tmp_path / "新包")
    assert package.folder.joinpath(draws.AUDIT_HEAD_FILE).read_text(encoding="utf-8").startswith(head + "\n")
    with zipfile.ZipFile(package.zip) as archive:
        assert archive.read(draws.AUDIT_HEAD_FILE).decode("utf-8").startswith(head)
    assert verify_package(package.zip).passed and verify_package(package.folder).passed

