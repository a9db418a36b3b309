"""The draw of a task on the sample county, step by step, persisted — both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.statuses import DrawStatus
from app.db.models import Department, Draw, DrawStep, Inspection, Plan, Task, Team
from app.domain.draw import verify_package
from app.domain.replacement import ReplacementReason
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from app.services.errors import UserError
from tests.actors import CLERK, CLERK2, SUPERVISOR

TODAY = date(2026, 11, 23)
WITNESSES = [Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"), Witness("李代表", "县人大代表", "00098765432")]


@pytest.fixture
def county(demo_county):
    return demo_county(CLERK, subjects=400, today=TODAY)


def _task(db, **fields) -> int:
    with db.session() as session:
        market = session.scalars(select(Department).where(Department.name == "青禾县市场监督管理局")).one()
        plan = Plan(year=2026, name="2026年度抽查计划", department_id=market.id, status="已公示",
                    approved_on=date(2026, 2, 1), published_on=date(2026, 2, 10))
        session.add(plan)
        session.flush()
        values = dict(name="食品经营者抽查", number="禾市监抽查〔2026〕1号", initiating_department_id=market.id,
                      scope={"industries": ["住宿和餐饮业", "批发和零售业"]}, quota_count=8, team_size=2,
                      starts_on=TODAY, ends_on=date(2026, 12, 10))
        values.update(fields)
        task = Task(plan_id=plan.id, **values)
        session.add(task)
        session.flush()
        return task.id


def test_a_whole_draw_is_persisted_and_its_package_verifies(county, tmp_path):
    task_id = _task(county)
    view, package = draws.run_draw(county, CLERK, task_id, WITNESSES, "", tmp_path / "验证包", today=TODAY)
    assert view.status == DrawStatus.FINISHED and view.revealed
    assert len(view.result["subjects"]) == 8 and len(view.result["teams"]) == 8
    result = verify_package(package.folder)
    assert result.passed, result.report
    assert verify_package(package.zip).passed
    with county.session() as session:
        inspections = session.scalars(select(Inspection).where(Inspection.task_id == task_id)).all()
        assert len(inspections) == 8 and all(i.team_id for i in inspections)
        teams = session.scalars(select(Team)).all()
        assert all(len(t.members) == 2 and t.leader_id in {m.inspector_id for m in t.members} for t in teams)
        steps = session.scalars(select(DrawStep.step).order_by(DrawStep.seq)).all()
    assert steps == ["准备", "见证人录入", "揭示", "抽取对象", "匹配人员", "完成"]


def test_a_drawn_task_cannot_be_drawn_again(county, tmp_path):
    task_id = _task(county)
    draws.run_draw(county, CLERK, task_id, WITNESSES, "", tmp_path / "包", today=TODAY)
    with pytest.raises(UserError, match="已经抽取"):
        draws.start_draw(county, CLERK2, task_id, today=TODAY)


def test_second_pc_is_told_who_holds_the_draw(county):
    task_id = _task(county)
    first = draws.start_draw(county, replace(CLERK, pc="市监局-PC1"), task_id, today=TODAY)
    with pytest.raises(UserError, match=f"{CLERK.name}@市监局-PC1"):
        draws.start_draw(county, replace(CLERK2, pc="市监局-PC2"), task_id, today=TODAY)
    assert draws.live_draw(county, task_id).id == first.id


def test_abandon_before_reveal_needs_a_reason_and_frees_the_task(county):
    task_id = _task(county)
    first = draws.start_draw(county, CLERK, task_id, today=TODAY)
    with pytest.raises(UserError, match="原因"):
        draws.abandon(county, CLERK, first.id, "")
    draws.abandon(county, CLERK, first.id, "见证人未到场，改期抽取")
    second = draws.start_draw(county, CLERK, task_id, today=TODAY)
    assert second.id != first.id
    draws.record_witnesses(county, CLERK, second.id, WITNESSES)
    draws.reveal(county, CLERK, second.id)
    with pytest.raises(UserError, match="不能放弃"):
        draws.abandon(county, CLERK, second.id, "结果不满意")


def test_too_few_witness_digits_are_refused_and_nothing_moves(county):
    task_id = _task(county)
    view = draws.start_draw(county, CLERK, task_id, today=TODAY)
    with pytest.raises(UserError, match="20"):
        draws.record_witnesses(county, CLERK, view.id, [Witness("张纪检", "纪检组", "12345")])
    assert draws.get_draw(county, view.id).status == DrawStatus.PREPARED


def test_replacing_a_subject_takes_the_next_in_order_and_still_verifies(county, tmp_path):
    task_id = _task(county)
    view, _ = draws.run_draw(county, CLERK, task_id, WITNESSES, "", tmp_path / "包1", today=TODAY)
    gone = view.result["subjects"][0]["id"]
    after = draws.replace_subject(county, CLERK, view.id, gone, ReplacementReason.DEREGISTERED, "经营者申请注销",
                                  confirmed_by=SUPERVISOR)
    assert gone not in {s["id"] for s in after.result["subjects"]}
    assert after.replacements[-1]["reason"] == "已注销/吊销：经营者申请注销"
    with county.session() as session:
        statuses = session.scalars(select(Inspection.status).where(Inspection.task_id == task_id)).all()
    assert sorted(statuses).count("已替换") == 1 and len(statuses) == 9
    package = draws.export_package(county, view.id, tmp_path / "包2")
    assert verify_package(package.folder).passed


def test_stratified_ratio_task_meets_each_quota(county, tmp_path):
    task_id = _task(county, scope={}, quota_count=None, ratio_numerator=5, ratio_denominator=100,
                    stratify_by="risk_class", number="禾市监抽查〔2026〕2号")
    view, package = draws.run_draw(county, CLERK, task_id, WITNESSES, "", tmp_path / "包", today=TODAY)
    for stratum in view.selection:
        assert stratum["quota"] == -(-stratum["population"] * 5 // 100)
    assert verify_package(package.folder).passed


def test_live_draw_resumes_after_a_restart(county):
    task_id = _task(county)
    started = draws.start_draw(county, CLERK, task_id, today=TODAY)
    draws.record_witnesses(county, CLERK, started.id, WITNESSES)
    resumed = draws.live_draw(county, task_id)
    assert resumed.status == DrawStatus.WITNESSED and not resumed.revealed
    assert [w.name for w in resumed.witnesses] == ["张纪检", "李代表"]
    with county.session() as session:
        assert session.scalar(select(func.count()).select_from(Draw)) == 1
