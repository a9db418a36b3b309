"""What a task's draw is drawn from.

Planning fixes the subjects side, which ``task_draw_spec`` reads in one transaction: eligible
subjects with their strata, exclusions with reasons, quotas, team rules. This module adds the people side — the
departments' inspectors with the reason any of them cannot be drawn on the inspection
dates, and the declared 回避 pairs — and hands everything to the pure engine
(app.domain.draw) as plain values. The engine commits to it before any witness digit exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.statuses import PlanStatus, TaskDrawStatus
from app.db.models import Conflict, Department, Inspector, Plan, Subject, Task
from app.db.session import Database
from app.domain import draw
from app.domain.eligibility import unavailability
from app.services.errors import UserError
from app.services.directory.inspectors import certificate_facts, period_facts
from app.services.planning.plans import draw_status, get_plan_model
from app.services.planning.population import (
    eligibility_conditions, order_strata, plan_quotas, stratum_expression, times_drawn_query,
)
from app.services.planning.tasks import get_task
from app.services.system.settings import read_yearly_cap


def gather_inputs(db: Database, task_id: int, today: date | None = None) -> tuple[TaskDrawSpec, draw.DrawInputs]:
    """The draw's inputs as the database holds them now; refuses a task that is not ready."""
    spec = task_draw_spec(db, task_id)
    if not spec.ready:
        raise UserError("该任务现在不能抽取：" + "；".join(spec.problems))
    today = today or date.today()
    names = {spec.initiating_department, *spec.departments}
    with db.session() as session:
        people = session.scalars(
            select(Inspector).join(Department, Inspector.department_id == Department.id)
            .where(Department.name.in_(names))
            .options(selectinload(Inspector.certificates), selectinload(Inspector.status_periods),
                     selectinload(Inspector.department)).order_by(Inspector.id)).all()
        inspectors, cert_of = [], {}
        for person in people:
            main = person.enforcement_certificate
            if main is None:
                continue  # only holders of a 行政执法证 take part in 执法检查
            cert_of[person.id] = main.number
            reasons = unavailability(person.category, certificate_facts(person), period_facts(person),
                                     spec.starts_on or today, spec.ends_on)
            inspectors.append(draw.Inspector(main.number, person.name, person.department.name, person.can_lead,
                                             "；".join(reasons)))
        conflicts = _conflicts(session, spec, cert_of)
    inputs = draw.DrawInputs(spec.draw_subjects(), spec.draw_parameters(), inspectors,
                             spec.draw_exclusions(), conflicts)
    return spec, inputs


def _conflicts(session: Session, spec: TaskDrawSpec, cert_of: dict[int, str]) -> list:
    """Declared 回避 among these people, a region expanded to the eligible subjects in it."""
    code_of = {s.subject_id: s.code for s in spec.subjects}
    region_of = dict(session.execute(select(Subject.id, Subject.region).where(Subject.id.in_(code_of))).all()) \
        if code_of else {}
    by_region: dict[str, list[str]] = {}
    for subject_id, region in region_of.items():
        by_region.setdefault(region, []).append(code_of[subject_id])
    pairs: list = []
    for conflict in session.scalars(select(Conflict).where(Conflict.inspector_id.in_(cert_of))):
        inspector = cert_of[conflict.inspector_id]
        if conflict.subject_id is not None:
            if conflict.subject_id in code_of:
                pairs.append(draw.SubjectConflict(inspector, code_of[conflict.subject_id]))
        elif conflict.region is not None:
            pairs.extend(draw.SubjectConflict(inspector, code) for code in by_region.get(conflict.region, []))
        elif conflict.other_inspector_id in cert_of:
            pairs.append(draw.InspectorConflict(inspector, cert_of[conflict.other_inspector_id]))
    return pairs


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
        cap = read_yearly_cap(session)
        in_scope, closed, no_code, at_cap = eligibility_conditions(detail.scope, plan.year, cap)
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
    strata = {k: strata[k] for k in order_strata(detail.stratify_by, strata)}
    quota_plan = plan_quotas(detail, strata)
    problems += quota_plan.problems
    if status_now != TaskDrawStatus.NOT_DRAWN:
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
    if plan.status not in (PlanStatus.REVIEW, PlanStatus.PUBLISHED, PlanStatus.ADJUSTED) or plan.approved_on is None:
        return [f"计划“{plan.name}”尚未审批通过，不能抽取。"]
    if plan.status == PlanStatus.ADJUSTED and not task.surprise:
        return [f"计划“{plan.name}”调整后尚未重新公示，公示后方可抽取。"]
    if plan.status == PlanStatus.REVIEW and not task.surprise:
        return [f"计划“{plan.name}”尚未公示，公示后方可抽取（突击检查除外）。"]
    return []
