"""年度抽查计划 and 抽查任务 on both backends: numbering, status flow, joint tasks, coverage, validation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db.models import AuditEntry, CheckItem, Department, Draw, Inspection, Subject
from app.domain.quota import ratio_count
from app.services.system import settings
from app.services.planning import tasks
from app.services.planning import plans
from app.services.system.audit import verify_chain
from app.services.planning.coverage import coverage
from app.services.errors import UserError
from app.services.directory.subject_query import SubjectFilter, count_subjects
from app.services.planning.population import population
from app.services.system.settings import set_yearly_cap, yearly_cap
from app.services.draw.inputs import task_draw_spec
from tests.actors import ADMIN, CLERK, REVIEWER

TODAY = date(2026, 11, 23)
SCJ, WJ, HB, YJ = "青禾县市场监督管理局", "青禾县卫生健康委员会", "青禾县生态环境分局", "青禾县应急管理局"


@pytest.fixture
def county(demo_county):
    return demo_county(CLERK, subjects=300, today=TODAY, with_plan=False)


def _dept(db, name: str) -> int:
    with db.session() as s:
        return s.scalar(select(Department.id).where(Department.name == name))


def _items(db, compiler: str, n: int) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(CheckItem.id).where(CheckItem.compiler == compiler).order_by(CheckItem.id).limit(n)))


def _plan(db, year: int = 2026, name: str = "2026年度随机抽查工作计划", department: str | None = None) -> int:
    return plans.save_plan(db, CLERK, plans.PlanDetail(None, year, name, _dept(db, department) if department else None))


def _task(db, plan_id: int, department: str = SCJ, name: str = "食品经营者随机抽查", **kw) -> int:
    year = kw.pop("year", 2026)
    detail = tasks.TaskDetail(
        None, plan_id, name=name, initiating_department_id=_dept(db, department),
        item_ids=kw.pop("item_ids", None) or _items(db, "省市场监管局", 2),
        starts_on=date(year, 5, 1), ends_on=date(year, 6, 30), **kw)
    return tasks.save_task(db, CLERK, detail)


def _number(db, task_id: int) -> str:
    return tasks.get_task(db, task_id).number


def test_task_numbers_follow_the_pattern_and_are_never_reused(county):
    plan_id = _plan(county)
    first, second, third = (_task(county, plan_id, name=f"任务{i}") for i in range(3))
    assert [_number(county, t) for t in (first, second, third)] == [
        "禾市监抽查〔2026〕1号", "禾市监抽查〔2026〕2号", "禾市监抽查〔2026〕3号"]
    tasks.delete_task(county, CLERK, third)
    assert _number(county, _task(county, plan_id, name="任务4")) == "禾市监抽查〔2026〕4号"
    assert _number(county, _task(county, plan_id, department=WJ)) == "禾卫健抽查〔2026〕1号"
    other_year = _plan(county, 2027, "2027年度计划")
    assert _number(county, _task(county, other_year, year=2027)) == "禾市监抽查〔2027〕1号"

    # a changed 发起部门 takes that department's next number; the old one stays retired
    detail = tasks.get_task(county, second)
    detail.initiating_department_id = _dept(county, WJ)
    tasks.save_task(county, CLERK, detail)
    assert _number(county, second) == "禾卫健抽查〔2026〕2号"
    detail.initiating_department_id = _dept(county, SCJ)
    tasks.save_task(county, CLERK, detail)
    assert _number(county, second) == "禾市监抽查〔2026〕5号"

    settings.save_settings(county, ADMIN, {settings.TASK_NUMBER_PATTERN: "{简称}随机〔{年}〕第{序号}号"})
    assert _number(county, _task(county, plan_id, name="任务6")) == "禾市监随机〔2026〕第6号"
    settings.save_settings(county, ADMIN, {settings.TASK_NUMBER_PATTERN: "{简称}抽查〔{年}〕号"})
    with pytest.raises(UserError, match="序号"):
        _task(county, plan_id, name="任务7")
    numbers = [row.number for row in tasks.list_tasks(county, year=2026)]
    assert len(numbers) == len(set(numbers))


def test_plan_status_flow_with_its_dates(county):
    plan_id = _plan(county, department=SCJ)
    with pytest.raises(UserError, match="还没有抽查任务"):
        plans.submit_plan(county, CLERK, plan_id)
    task_id = _task(county, plan_id)
    with pytest.raises(UserError, match="尚未审批通过"):
        plans.publish_plan(county, CLERK, plan_id, date(2026, 2, 1))
    plans.submit_plan(county, CLERK, plan_id)
    assert plans.get_plan(county, plan_id).status_text == "待审批"
    with pytest.raises(UserError, match="正在审批"):
        tasks.save_task(county, CLERK, tasks.get_task(county, task_id))
    with pytest.raises(UserError, match="原因"):
        plans.return_plan(county, REVIEWER, plan_id, " ")
    plans.return_plan(county, REVIEWER, plan_id, "事项不全")
    assert plans.get_plan(county, plan_id).status == "草拟"
    plans.submit_plan(county, CLERK, plan_id)
    with pytest.raises(UserError, match="备案日期不能早于批准日期"):
        plans.approve_plan(county, REVIEWER, plan_id, date(2026, 1, 20), filed_on=date(2026, 1, 10))
    plans.approve_plan(county, REVIEWER, plan_id, date(2026, 1, 20), filed_on=date(2026, 1, 22))
    row = plans.get_plan(county, plan_id)
    assert (row.status, row.status_text, row.approved_on, row.filed_on) == (
        "审批", "已批准，待公示", date(2026, 1, 20), date(2026, 1, 22))
    with pytest.raises(UserError, match="不能早于批准日期"):
        plans.publish_plan(county, CLERK, plan_id, date(2026, 1, 5))
    plans.publish_plan(county, CLERK, plan_id, date(2026, 1, 25))
    assert plans.get_plan(county, plan_id).status == "已公示"

    with pytest.raises(UserError, match="调整"):
        _task(county, plan_id, name="新增专项")
    with pytest.raises(UserError, match="调整原因"):
        plans.adjust_plan(county, CLERK, plan_id, "")
    plans.adjust_plan(county, CLERK, plan_id, "根据上级部署增加专项抽查", on=date(2026, 4, 1))
    row = plans.get_plan(county, plan_id)
    assert row.status == "已调整" and "2026-04-01 调整：根据上级部署增加专项抽查" in row.note
    _task(county, plan_id, name="新增专项")
    plans.publish_plan(county, CLERK, plan_id, date(2026, 4, 8))
    row = plans.get_plan(county, plan_id)
    assert (row.status, row.published_on, row.task_count) == ("已公示", date(2026, 4, 8), 2)
    with pytest.raises(UserError, match="草拟"):
        plans.delete_plan(county, CLERK, plan_id)

    with county.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "plan"))]
        assert verify_chain(s).ok
    assert actions == ["新建抽查计划", "提交审批", "退回修改", "提交审批", "审批通过", "公示抽查计划",
                       "调整抽查计划", "重新公示抽查计划"]


def test_joint_task_with_items_from_several_departments(county):
    plan_id = _plan(county, name="2026年度部门联合抽查计划")
    items = _items(county, "省市场监管局", 2) + _items(county, "省卫健委", 1) + _items(county, "省应急管理厅", 1)
    detail = tasks.TaskDetail(
        None, plan_id, name="餐饮场所联合抽查", initiating_department_id=_dept(county, SCJ),
        participant_ids=[_dept(county, WJ), _dept(county, YJ)], item_ids=items,
        scope=SubjectFilter(industries=("住宿和餐饮业",)), quota={"ratio": [10, 100]},
        starts_on=date(2026, 6, 1), ends_on=date(2026, 7, 31), team_size=2, needs_expert=True)
    with pytest.raises(UserError, match="每组人数不能少于部门数"):
        tasks.save_task(county, CLERK, detail)
    detail.team_size = 3
    task_id = tasks.save_task(county, CLERK, detail)
    [row] = tasks.list_tasks(county, plan_id)
    assert row.joint and row.participants == tuple(sorted((WJ, YJ)))
    assert (row.initiating_department, row.item_count, row.draw_status) == (SCJ, 4, "未抽取")
    assert row.scope_text == "行业：住宿和餐饮业" and row.quota_text == "10%"

    spec = task_draw_spec(county, task_id)
    assert spec.departments == tuple(sorted((SCJ, WJ, YJ)))
    assert spec.problems == ("计划“2026年度部门联合抽查计划”尚未审批通过，不能抽取。",)
    eligible = count_subjects(county, SubjectFilter(industries=("住宿和餐饮业",), statuses=("存续",)))
    assert len(spec.subjects) == eligible
    codes = [s.code.encode() for s in spec.subjects]
    assert codes == sorted(codes)  # the draw's own order: a big county's draw need not sort again
    assert {e.reason for e in spec.excluded} <= {"已注销", "已吊销"}
    assert spec.counts == {"全部": ratio_count(eligible, 10, 100)}
    params = spec.draw_parameters()
    assert params.team_size == 3 and params.departments == spec.departments and params.mode == "per_subject"
    assert params.quotas["全部"].ratio == (10, 100)
    assert len(spec.draw_subjects()) == eligible

    surprise = _task(county, plan_id, name="突击检查", surprise=True)
    assert "突击检查" in tasks.list_tasks(county, plan_id)[-1].name and tasks.get_task(county, surprise).surprise
    plans.submit_plan(county, CLERK, plan_id)
    plans.approve_plan(county, REVIEWER, plan_id, date(2026, 2, 1))
    assert "尚未公示" in task_draw_spec(county, task_id).problems[0]
    assert task_draw_spec(county, surprise).ready  # 突击检查: drawn before anything is published
    plans.publish_plan(county, CLERK, plan_id, date(2026, 2, 3))
    assert task_draw_spec(county, task_id).ready


def test_risk_strata_with_differentiated_quotas(county):
    plan_id = _plan(county)
    detail = tasks.TaskDetail(
        None, plan_id, name="分类监管抽查", initiating_department_id=_dept(county, SCJ),
        item_ids=_items(county, "省市场监管局", 1), quota={"ratio": [5, 100]}, stratify_by="risk_class",
        stratum_quotas={"C（较高风险）": {"ratio": [20, 100]}, "D（高风险）": {"ratio": [1, 1]},
                        "A（低风险）": {"ratio": [30, 100]}},
        starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31))
    problems = tasks.check_task(detail, 2026)
    assert not problems.errors and "差异化监管" in problems.warnings["strata"]
    detail.stratum_quotas.pop("A（低风险）")
    assert "strata" not in tasks.check_task(detail, 2026).warnings
    task_id = tasks.save_task(county, CLERK, detail)
    pop = population(county, SubjectFilter(), "risk_class", 2026)
    a, b, c, d = "A（低风险）", "B（一般风险）", "C（较高风险）", "D（高风险）"
    assert list(pop.strata) == [a, b, c, d]
    assert pop.in_scope == 300 and pop.eligible + pop.closed + pop.no_code + pop.capped == 300
    spec = task_draw_spec(county, task_id)
    assert spec.counts == {a: ratio_count(pop.strata[a], 5, 100), b: ratio_count(pop.strata[b], 5, 100),
                           c: ratio_count(pop.strata[c], 20, 100), d: pop.strata[d]}
    assert {s.stratum for s in spec.subjects} == {a, b, c, d}
    assert tasks.list_tasks(county, plan_id)[0].quota_text == "按信用风险分类：5%；C（较高风险） 20%、D（高风险） 全部"


def test_validation_messages(county):
    plan_id = _plan(county)
    detail = tasks.TaskDetail(None, plan_id, quota=None, methods=[], team_size=1,
                              starts_on=date(2025, 12, 1), ends_on=date(2025, 11, 1))
    errors = tasks.check_task(detail, 2026).errors
    assert errors == {
        "name": "请填写任务名称，如“2026年食品经营者随机抽查”。",
        "department": "请选择发起部门。",
        "items": "请至少选择一项抽查事项（联合抽查可选多个部门的事项）。",
        "quota": "请填写抽查比例或抽查数量。",
        "dates": "检查结束日期不能早于开始日期。",
        "methods": "请至少选择一种检查方式。",
        "team": "每组检查人员不能少于2人（法律要求至少两名执法人员）。",
    }
    detail.ends_on = date(2025, 12, 31)
    assert tasks.check_task(detail, 2026).errors["dates"] == "检查开始日期应在计划年度（2026年）内。"
    detail.team_mode, detail.team_count = "teams_first", 0
    assert "检查组数" in tasks.check_task(detail, 2026).errors["team_mode"]
    detail.quota = {"ratio": [120, 100]}
    assert tasks.check_task(detail, 2026).errors["quota"] == "抽查比例不能超过 100%。"
    with pytest.raises(UserError, match="请填写任务名称"):
        tasks.save_task(county, CLERK, detail)
    with pytest.raises(UserError, match="计划名称"):
        plans.save_plan(county, CLERK, plans.PlanDetail(None, 2026, "  "))
    # a disabled item cannot be added
    [item] = _items(county, "省教育厅", 1)
    with county.session() as s:
        s.get(CheckItem, item).enabled = False
    with pytest.raises(UserError, match="已停用"):
        _task(county, plan_id, item_ids=[item])
    # too few subjects in a stratum for a count
    task_id = _task(county, plan_id, scope=SubjectFilter(regions=("河口镇",)), quota={"count": 500})
    assert "少于要抽取的 500 户" in task_draw_spec(county, task_id).problems[-1]


def _draw(db, task_id: int, subject_ids: list[int]) -> None:
    with db.session() as s:
        draw = Draw(task_id=task_id, protocol_version="ssj-draw-v2", status="已完成")
        s.add(draw)
        s.flush()
        for rank, subject_id in enumerate(subject_ids):
            s.add(Inspection(task_id=task_id, draw_id=draw.id, subject_id=subject_id, draw_rank=rank))


def test_coverage_on_the_demo_county(county):
    plan_id = _plan(county)
    food = _task(county, plan_id, name="食品经营", item_ids=_items(county, "省市场监管局", 5),
                 scope=SubjectFilter(industries=("住宿和餐饮业",)), quota={"ratio": [5, 100]})
    joint = _task(county, plan_id, name="联合", item_ids=_items(county, "省卫健委", 5),
                  participant_ids=[_dept(county, WJ)], scope=SubjectFilter(regions=("城关镇",)), quota={"count": 4})
    with county.session() as s:
        low = list(s.scalars(select(Subject.id).where(Subject.risk_class == "A", ~Subject.key_supervision,
                                                      ~Subject.abnormal_operation, ~Subject.serious_violation,
                                                      Subject.registration_status == "存续",
                                                      Subject.industry == "住宿和餐饮业").order_by(Subject.id)))
        key = s.scalar(select(Subject.id).where(Subject.risk_class == "A", Subject.key_supervision).limit(1))
        enabled = s.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.enabled))
    first, second = _task(county, plan_id, name="甲"), _task(county, plan_id, name="乙")
    _draw(county, first, [low[0], low[1], key])
    _draw(county, second, [low[0], key])

    result = coverage(county, 2026)
    assert (result.plans, result.tasks, result.enabled_items) == (1, 4, enabled)
    assert result.covered_items == 10 and len(result.uncovered) == enabled - 10
    assert not result.fully_covered
    assert [c.id for c in result.capped] == [low[0]] and result.capped[0].times == 2  # the key subject has no cap
    by_dept = {d.department: d for d in result.departments}
    assert set(by_dept) == {SCJ, WJ}
    food_population = population(county, SubjectFilter(industries=("住宿和餐饮业",)), "", 2026)
    food_planned = ratio_count(food_population.eligible, 5, 100)
    assert by_dept[WJ].tasks == 1 and by_dept[WJ].planned == 4 and by_dept[WJ].drawn == 0
    assert by_dept[WJ].population == count_subjects(county, SubjectFilter(regions=("城关镇",))) - len(
        [1 for st in ("注销", "吊销") for _ in range(count_subjects(
            county, SubjectFilter(regions=("城关镇",), statuses=(st,))))])
    assert by_dept[SCJ].tasks == 4 and by_dept[SCJ].drawn == 5 and by_dept[SCJ].planned == food_planned + 4 + 5
    assert by_dept[SCJ].ratio_text.endswith("%")

    # the capped subject is kept out of the next draw, with its reason; a higher cap lets it back in
    spec = task_draw_spec(county, food)
    reasons = {e.subject_id: e.reason for e in spec.excluded}
    assert reasons[low[0]] == "年度抽查次数已满（本年度已抽查 2 次，上限 2 次）"
    assert key not in reasons and low[1] not in reasons
    assert population(county, SubjectFilter(industries=("住宿和餐饮业",)), "", 2026).capped == 1
    with pytest.raises(UserError):
        set_yearly_cap(county, ADMIN, 0)
    set_yearly_cap(county, ADMIN, 3)
    assert yearly_cap(county).times == 3 and coverage(county, 2026).capped == []
    assert low[0] in {s.subject_id for s in task_draw_spec(county, food).subjects}

    # drawn tasks cannot be changed or deleted
    with pytest.raises(UserError, match="已抽取"):
        tasks.delete_task(county, CLERK, first)
    with pytest.raises(UserError, match="已抽取"):
        tasks.save_task(county, CLERK, tasks.get_task(county, first))
    assert {r.id: r.draw_status for r in tasks.list_tasks(county, plan_id)}[first] == "已抽取"
    assert joint


def test_two_pcs_saving_tasks_at_once_never_share_a_number(county, backend):
    """Two clerks on one PostgreSQL server (or one SQLite file) add tasks at the same moment."""
    import random
    import threading
    import time

    from app.db.session import Database

    plan_id = _plan(county)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def clerk(name: str) -> None:
        db = Database(county.url)  # a PC of its own: its own engine and connections
        try:
            start.wait()
            for i in range(4):
                for attempt in range(20):
                    try:
                        _task(db, plan_id, name=f"{name}{i}")
                        break
                    except Exception as exc:  # noqa: BLE001 — SQLite may report "database is locked"
                        if backend == "postgresql" or "locked" not in str(exc) or attempt == 19:
                            raise
                        time.sleep(random.uniform(0.01, 0.05))  # as a clerk retries: not in lockstep
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=clerk, args=(name,)) for name in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    numbers = sorted(row.number for row in tasks.list_tasks(county, plan_id))
    assert numbers == sorted(f"禾市监抽查〔2026〕{n}号" for n in range(1, 9))


def test_an_abandoned_draw_keeps_its_task_but_lets_it_be_corrected(county):
    plan_id = _plan(county)
    task_id = _task(county, plan_id)
    with county.session() as s:
        s.add(Draw(task_id=task_id, protocol_version="ssj-draw-v2", status="已放弃", abandon_reason="见证人未到场"))
    assert tasks.list_tasks(county, plan_id)[0].draw_status == "未抽取"
    detail = tasks.get_task(county, task_id)
    detail.name = "食品经营者随机抽查（重新抽取）"
    tasks.save_task(county, CLERK, detail)
    with pytest.raises(UserError, match="抽取记录"):
        tasks.delete_task(county, CLERK, task_id)
    with pytest.raises(UserError, match="抽取记录"):
        plans.delete_plan(county, CLERK, plan_id)
    live = _task(county, plan_id, name="正在抽取")
    with county.session() as s:
        s.add(Draw(task_id=live, protocol_version="ssj-draw-v2", status="见证人录入"))
    assert {r.id: r.draw_status for r in tasks.list_tasks(county, plan_id)}[live] == "抽取中"
    with pytest.raises(UserError, match="抽取中"):
        tasks.save_task(county, CLERK, tasks.get_task(county, live))
    assert "该任务抽取中。" in task_draw_spec(county, live).problems
