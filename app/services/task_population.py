"""Who a task can draw: its 检查对象范围, the subjects kept out and why, strata and quotas.

This is what the draw ceremony takes from planning:

    spec = task_draw_spec(db, task_id)
    if spec.problems: refuse, showing spec.problems
    inputs = DrawInputs(spec.draw_subjects(), spec.draw_parameters(), inspectors, spec.draw_exclusions(), …)

Kept out of the draw, each with its reason shown to the witnesses:
- subjects whose 登记状态 is 注销, 吊销, 迁出 or 撤销;
- subjects with no 统一社会信用代码 and no 注册号 (they have no stable id to commit to);
- 年度抽查次数已满: a low-risk subject (信用风险分类 in the capped classes, default A) already
  drawn N times in the plan's year (N: the setting ``low_risk_yearly_cap``, default 2),
  unless it is a 重点检查对象 (重点监管对象, 经营异常名录, 严重违法失信: no cap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, literal, not_, select, true
from sqlalchemy.orm import Session

from app.db.models import Department, Inspection, Plan, Setting, Subject, Task
from app.db.session import Database
from app.domain import quota as quotas
from app.domain.accounts import Actor, Role
from app.services import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.plan_tasks import (
    NO_REGION, NO_RISK, RISK_ORDER, RISK_STRATA, STRATIFY, TaskDetail, get_task, risk_stratum,
)
from app.services.plans import ADJUSTED, NOT_DRAWN, PUBLISHED, REVIEW, draw_status, get_plan_model
from app.services.subject_query import SubjectFilter, subject_ids_query

YEARLY_CAP = "low_risk_yearly_cap"  # 低风险对象同一年度内最多被抽查的次数
CAPPED_RISK_CLASSES = "yearly_cap_risk_classes"  # which 信用风险分类 count as low risk
DEFAULT_YEARLY_CAP = 2
DEFAULT_CAPPED_RISK_CLASSES = ("A",)
CLOSED_STATUSES = ("注销", "吊销", "迁出", "撤销")  # 登记状态 that can no longer be inspected
ALL_STRATUM = "全部"


# ------------------------------------------------------------------ the yearly cap setting
@dataclass(frozen=True)
class YearlyCap:
    times: int  # N
    risk_classes: tuple[str, ...]  # 信用风险分类 the cap applies to

    def describe(self) -> str:
        classes = "、".join(risk_stratum(r) for r in self.risk_classes)
        return f"{classes}的检查对象同一年度内最多抽查 {self.times} 次（重点检查对象不设上限）"


def yearly_cap(db: Database) -> YearlyCap:
    with db.session() as session:
        return _yearly_cap(session)


def _yearly_cap(session: Session) -> YearlyCap:
    times = session.get(Setting, YEARLY_CAP)
    classes = session.get(Setting, CAPPED_RISK_CLASSES)
    return YearlyCap(int(times.value) if times else DEFAULT_YEARLY_CAP,
                     tuple(classes.value) if classes else DEFAULT_CAPPED_RISK_CLASSES)


def set_yearly_cap(db: Database, actor: Actor, times: int, risk_classes: tuple[str, ...] | None = None) -> None:
    require(actor, Role.ADMIN)
    if not 1 <= times <= 50:
        raise UserError("年度抽查次数上限应在 1 到 50 次之间。")
    if risk_classes is not None and (not risk_classes or set(risk_classes) - set(RISK_ORDER)):
        raise UserError("请至少选择一个信用风险分类（A、B、C、D）。")
    with db.session() as session:
        old = _yearly_cap(session)
        new = YearlyCap(times, tuple(sorted(risk_classes)) if risk_classes is not None else old.risk_classes)
        if new == old:
            return
        session.merge(Setting(key=YEARLY_CAP, value=new.times))
        session.merge(Setting(key=CAPPED_RISK_CLASSES, value=list(new.risk_classes)))
        audit.record(session, actor, "修改设置", "settings", "",
                     {YEARLY_CAP: [old.times, new.times], CAPPED_RISK_CLASSES: [list(old.risk_classes),
                                                                                list(new.risk_classes)]})


# ------------------------------------------------------------------ population
def stratum_expression(stratify_by: str):
    if stratify_by == "region":
        return func.coalesce(func.nullif(Subject.region, ""), NO_REGION)
    if stratify_by == "risk_class":
        return case(*((Subject.risk_class == code, risk_stratum(code)) for code in RISK_ORDER), else_=NO_RISK)
    return literal(ALL_STRATUM)


def times_drawn_query(year: int):
    """subject_id, times: how often each subject was drawn in plans of ``year`` (replacements not counted)."""
    return (select(Inspection.subject_id, func.count().label("times"))
            .join(Task, Inspection.task_id == Task.id).join(Plan, Task.plan_id == Plan.id)
            .where(Plan.year == year, Inspection.status != "已替换")
            .group_by(Inspection.subject_id))


def key_subject_condition():
    """重点检查对象: 重点监管对象, 经营异常名录 or 严重违法失信 (抽查频次不设上限)."""
    return Subject.key_supervision | Subject.abnormal_operation | Subject.serious_violation


def _conditions(scope: SubjectFilter, year: int, cap: YearlyCap):
    where = subject_ids_query(scope).whereclause
    in_scope = true() if where is None else where
    closed = Subject.registration_status.in_(CLOSED_STATUSES)
    no_code = and_(Subject.credit_code.is_(None), Subject.registration_no.is_(None))
    drawn = times_drawn_query(year).subquery()
    at_cap = and_(Subject.risk_class.in_(cap.risk_classes), not_(key_subject_condition()),
                  Subject.id.in_(select(drawn.c.subject_id).where(drawn.c.times >= cap.times)))
    return in_scope, closed, no_code, at_cap


@dataclass(frozen=True)
class Population:
    """A scope's subjects for one year: how many are in scope, how many can be drawn, per stratum."""

    in_scope: int
    closed: int  # 已注销、吊销、迁出、撤销
    no_code: int  # 无代码
    capped: int  # 年度抽查次数已满
    strata: dict[str, int]  # stratum → eligible subjects (ordered for display)

    @property
    def eligible(self) -> int:
        return sum(self.strata.values())

    def describe(self) -> str:
        text = f"范围内 {self.in_scope:,} 户，可抽取 {self.eligible:,} 户"
        kept = [f"{label} {n:,} 户" for label, n in (("已注销、吊销或迁出", self.closed), ("年度抽查次数已满", self.capped),
                                                     ("无代码", self.no_code)) if n]
        return text + (f"（不含{'、'.join(kept)}）" if kept else "")


def _order_strata(stratify_by: str, keys) -> list[str]:
    if stratify_by == "risk_class":
        order = RISK_STRATA + (NO_RISK,)
        return sorted(keys, key=lambda k: order.index(k) if k in order else len(order))
    return sorted(keys, key=lambda k: (k == NO_REGION, k))


def population(db: Database, scope: SubjectFilter, stratify_by: str, year: int) -> Population:
    """Counted by the database (quick at 500,000 subjects); safe to call from a background thread."""
    if stratify_by not in STRATIFY:
        raise UserError("分层方式只能是不分层、按所属区域或按信用风险分类。")
    with db.session() as session:
        in_scope, closed, no_code, at_cap = _conditions(scope, year, _yearly_cap(session))
        stratum = stratum_expression(stratify_by).label("stratum")
        dropped_closed = closed
        dropped_code = and_(not_(closed), no_code)
        dropped_cap = and_(not_(closed), not_(no_code), at_cap)
        stmt = (select(stratum, func.count(),
                       func.sum(case((dropped_closed, 1), else_=0)),
                       func.sum(case((dropped_code, 1), else_=0)),
                       func.sum(case((dropped_cap, 1), else_=0)))
                .select_from(Subject).where(in_scope).group_by(stratum))
        total = n_closed = n_code = n_cap = 0
        strata = {}
        for key, count, c_closed, c_code, c_cap in session.execute(stmt):
            c_closed, c_code, c_cap = int(c_closed or 0), int(c_code or 0), int(c_cap or 0)
            total, n_closed, n_code, n_cap = total + count, n_closed + c_closed, n_code + c_code, n_cap + c_cap
            strata[key] = count - c_closed - c_code - c_cap
    ordered = {k: strata[k] for k in _order_strata(stratify_by, strata)}
    return Population(total, n_closed, n_code, n_cap, ordered)


def stratum_quotas_for(detail: TaskDetail, strata: dict[str, int]) -> dict[str, dict]:
    """The quota of every stratum that has subjects, and of every stratum given one of its own."""
    keys = list(strata) + [k for k in detail.stratum_quotas if k not in strata]
    result = {}
    for key in keys:
        quota = detail.stratum_quotas.get(key) or detail.quota
        if quota is not None:
            result[key] = quota
    return result


@dataclass(frozen=True)
class QuotaPlan:
    """Per stratum: eligible subjects, the quota and the number it asks for."""

    rows: list[tuple[str, int, dict, int]]  # (stratum, eligible, quota, wanted)
    problems: list[str]

    @property
    def total(self) -> int:
        return sum(min(wanted, size) for _, size, _, wanted in self.rows)


def plan_quotas(detail: TaskDetail, strata: dict[str, int]) -> QuotaPlan:
    """What a task would draw from each stratum of a population (pure)."""
    rows, problems = [], []
    for key, quota in stratum_quotas_for(detail, strata).items():
        size = strata.get(key, 0)
        wanted = quotas.planned_count(quota, size)
        rows.append((key, size, quota, wanted))
        label = key if detail.stratify_by else "检查对象"
        if wanted > size:
            problems.append(f"{label}只有 {size} 户可抽取，少于要抽取的 {wanted} 户；请改小数量或改为“全部”。")
    if strata and not any(wanted for *_, wanted in rows):
        problems.append("按当前比例或数量，一户也抽不到，请调整。")
    if not any(strata.values()):
        problems.append("检查对象范围内没有可抽取的对象，请调整范围。")
    return QuotaPlan(rows, problems)


# ------------------------------------------------------------------ what the draw takes
@dataclass(frozen=True)
class EligibleSubject:
    subject_id: int
    code: str  # 统一社会信用代码 or 注册号: the id committed in the draw
    name: str
    stratum: str


@dataclass(frozen=True)
class ExcludedSubject:
    subject_id: int
    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class TaskDrawSpec:
    """Everything planning fixes about a task's draw, read in one transaction."""

    task_id: int
    number: str
    name: str
    year: int
    initiating_department: str
    departments: tuple[str, ...]  # 联合抽查: 发起部门 and 参与部门 (sorted); () for one department
    item_names: tuple[str, ...]
    scope_text: str
    stratify_by: str
    subjects: tuple[EligibleSubject, ...]
    excluded: tuple[ExcludedSubject, ...]
    quotas: dict[str, dict]  # stratum → {"count": n} or {"ratio": [p, q]} (params.json shape)
    counts: dict[str, int]  # stratum → number the quota asks for
    starts_on: date | None
    ends_on: date | None
    methods: tuple[str, ...]
    team_size: int
    team_mode: str  # per_subject / teams_first (the draw engine's PER_SUBJECT / TEAMS_FIRST)
    team_count: int
    needs_expert: bool
    surprise: bool
    problems: tuple[str, ...] = field(default=())  # why the draw cannot start; empty when it can

    @property
    def ready(self) -> bool:
        return not self.problems

    def subject_ids_by_code(self) -> dict[str, int]:
        return {s.code: s.subject_id for s in self.subjects}

    def draw_subjects(self):
        """The eligible subjects as the draw takes them: columns, every weight 1."""
        from app.domain.draw import SubjectTable

        return SubjectTable([s.code for s in self.subjects], [s.name for s in self.subjects],
                            [s.stratum for s in self.subjects])

    def draw_exclusions(self):
        from app.domain.draw import Exclusion

        return [Exclusion(s.code, s.reason, s.name) for s in self.excluded if s.code]

    def draw_parameters(self, alternates: int = 5):
        from app.domain.draw import DrawParameters, Quota

        made = {k: Quota.of(q["count"]) if "count" in q else Quota.share(*q["ratio"]) for k, q in self.quotas.items()}
        return DrawParameters(quotas=made, team_size=self.team_size, mode=self.team_mode,
                              teams=self.team_count if self.team_mode == "teams_first" else 0,
                              departments=self.departments, alternates=alternates,
                              task=f"{self.number} {self.name}".strip())


def _code_order(session: Session):
    """The subjects' codes in UTF-8 byte order, the order of the draw's canonical files, so that a
    500,000-subject draw need not sort them again (SQLite compares text bytewise; PostgreSQL does
    under the "C" collation).  Only a shortcut: the draw sorts whatever it is given."""
    code = func.coalesce(func.nullif(Subject.credit_code, ""), Subject.registration_no)
    return code.collate("C") if session.get_bind().dialect.name == "postgresql" else code


def task_draw_spec(db: Database, task_id: int) -> TaskDrawSpec:
    detail = get_task(db, task_id)
    with db.session() as session:
        task = session.get(Task, task_id)
        plan = get_plan_model(session, task.plan_id)
        cap = _yearly_cap(session)
        in_scope, closed, no_code, at_cap = _conditions(detail.scope, plan.year, cap)
        drawn = times_drawn_query(plan.year).subquery()
        stmt = (select(Subject.id, Subject.credit_code, Subject.registration_no, Subject.name,
                       Subject.registration_status, stratum_expression(detail.stratify_by),
                       closed, no_code, at_cap, func.coalesce(drawn.c.times, 0))
                .outerjoin(drawn, drawn.c.subject_id == Subject.id)
                .where(in_scope).order_by(_code_order(session), Subject.id))
        subjects, excluded = [], []
        for sid, credit, reg, name, status, stratum, is_closed, lacks_code, capped, times in session.execute(stmt):
            code = credit or reg or ""
            if is_closed:
                excluded.append(ExcludedSubject(sid, code, name, f"已{status}"))
            elif lacks_code:
                excluded.append(ExcludedSubject(sid, code, name, "无统一社会信用代码或注册号"))
            elif capped:
                excluded.append(ExcludedSubject(sid, code, name,
                                                f"年度抽查次数已满（本年度已抽查 {times} 次，上限 {cap.times} 次）"))
            else:
                subjects.append(EligibleSubject(sid, code, name, stratum))
        departments = ()
        if task.participants:
            departments = tuple(sorted({task.initiating_department.name, *(d.name for d in task.participants)}))
        problems = _readiness(session, task, plan)
        status_now = draw_status(session, task.id)
        initiator = session.get(Department, task.initiating_department_id).name
        items = tuple(i.name for i in task.items)
        year = plan.year
    strata: dict[str, int] = {}
    for s in subjects:
        strata[s.stratum] = strata.get(s.stratum, 0) + 1
    strata = {k: strata[k] for k in _order_strata(detail.stratify_by, strata)}
    quota_plan = plan_quotas(detail, strata)
    problems += quota_plan.problems
    if status_now != NOT_DRAWN:
        problems.append(f"该任务{status_now}。")
    return TaskDrawSpec(
        task_id=task_id, number=detail.number, name=detail.name, year=year, initiating_department=initiator,
        departments=departments, item_names=items, scope_text=detail.scope.describe(),
        stratify_by=detail.stratify_by, subjects=tuple(subjects), excluded=tuple(excluded),
        quotas={k: q for k, _, q, _ in quota_plan.rows}, counts={k: n for k, _, _, n in quota_plan.rows},
        starts_on=detail.starts_on, ends_on=detail.ends_on, methods=tuple(detail.methods),
        team_size=detail.team_size, team_mode=detail.team_mode, team_count=detail.team_count,
        needs_expert=detail.needs_expert, surprise=detail.surprise, problems=tuple(problems),
    )


def _readiness(session: Session, task: Task, plan: Plan) -> list[str]:
    """A task is drawn only under an approved plan, published unless it is a 突击检查."""
    if plan.status not in (REVIEW, PUBLISHED, ADJUSTED) or plan.approved_on is None:
        return [f"计划“{plan.name}”尚未审批通过，不能抽取。"]
    if plan.status == ADJUSTED and not task.surprise:
        return [f"计划“{plan.name}”调整后尚未重新公示，公示后方可抽取。"]
    if plan.status == REVIEW and not task.surprise:
        return [f"计划“{plan.name}”尚未公示，公示后方可抽取（突击检查除外）。"]
    return []
