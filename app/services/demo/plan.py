"""The sample county's annual plan: approved and published, with three tasks not yet drawn —
a simple one, one stratified by risk class (差异化监管), and a joint task of two departments —
so a newcomer, the CLI and the tests can hold a draw at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import CheckItem, Department, Plan, Task
from app.domain.risk import risk_stratum
from app.domain.statuses import PlanStatus
from app.services.planning.tasks import SERIAL_KIND
from app.services.system.serials import format_number, next_serial
from app.services.system.settings import DEFAULTS, TASK_NUMBER_PATTERN

MARKET = "青禾县市场监督管理局"
HEALTH = "青禾县卫生健康委员会"


def _items(session: Session, compiler: str, names: tuple[str, ...]) -> list[CheckItem]:
    return list(session.scalars(select(CheckItem).where(CheckItem.compiler == compiler, CheckItem.name.in_(names))))


def _number(session: Session, department: Department, year: int) -> str:
    serial = next_serial(session, SERIAL_KIND, department.id, year)
    return format_number(DEFAULTS[TASK_NUMBER_PATTERN], department.short_name or department.name, year, serial)


def create_demo_plan(session: Session, today: date) -> Plan:
    year = today.year
    departments = {d.name: d for d in session.scalars(select(Department))}
    market, health = departments[MARKET], departments[HEALTH]
    plan = Plan(year=year, name=f"{year}年度青禾县市场监管领域“双随机、一公开”抽查计划", department_id=market.id,
                status=PlanStatus.PUBLISHED, approved_on=date(year, 1, 20), filed_on=date(year, 1, 25),
                published_on=date(year, 1, 28))
    session.add(plan)
    session.flush()
    window = dict(starts_on=today, ends_on=date(year, 12, 25))
    food = _items(session, "省市场监管局", ("一般风险食品销售监督检查", "高风险食品销售监督检查"))
    disclosure = _items(session, "省市场监管局", ("年度报告公示信息的检查", "即时公示信息的检查"))
    hotels = _items(session, "省卫健委", ("宾馆、旅店卫生情况的检查",))
    tasks = [
        Task(plan_id=plan.id, name="食品销售经营者监督检查", initiating_department_id=market.id,
             scope={"industries": ["批发和零售业", "住宿和餐饮业"], "tags": ["食品经营"]},
             quota_count=10, team_size=2, methods=["现场检查"], items=food, **window),
        Task(plan_id=plan.id, name="企业公示信息抽查（按信用风险分类差异化抽取）", initiating_department_id=market.id,
             scope={"subject_types": ["有限责任公司"]}, ratio_numerator=3, ratio_denominator=100,
             stratify_by="risk_class",
             stratum_quotas={risk_stratum(code): {"ratio": ratio} for code, ratio in
                             (("A", [2, 100]), ("B", [3, 100]), ("C", [10, 100]), ("D", [1, 1]))},
             team_size=2, methods=["书面检查", "网络监测"], items=disclosure, **window),
        Task(plan_id=plan.id, name="宾馆、旅店卫生与食品安全部门联合抽查", initiating_department_id=market.id,
             participants=[health], scope={"industries": ["住宿和餐饮业"]}, quota_count=6, team_size=2,
             methods=["现场检查"], items=food[:1] + hotels, **window),
    ]
    for task in tasks:
        task.number = _number(session, market, year)
        session.add(task)
    session.flush()
    return plan
