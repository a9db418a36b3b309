"""What a task's draw is drawn from: eligible subjects with their strata, exclusions with
reasons, inspectors with the reason they cannot be drawn, 回避 pairs, and the parameters.

Everything is read in one transaction and handed to the pure engine (app.domain.draw) as
plain values; the engine commits to it before any witness digit exists.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Conflict, Inspection, Inspector, Plan, Setting, Subject, Task
from app.domain import draw
from app.domain.eligibility import unavailability
from app.services.errors import UserError
from app.services.inspectors import certificate_facts, period_facts
from app.services.subject_query import RISK_CLASSES, SubjectFilter, subject_ids_query

INACTIVE_STATUSES = {"注销": "已注销", "吊销": "已吊销", "迁出": "已迁出", "撤销": "已撤销"}
LOW_RISK_CAP_KEY = "low_risk_yearly_cap"
DEFAULT_LOW_RISK_CAP = 2
ALL = "全部"


def stratum_of(task: Task, region: str, risk_class: str) -> str:
    if task.stratify_by == "region":
        return region or "未填区域"
    if task.stratify_by == "risk_class":
        return f"{risk_class}（{RISK_CLASSES[risk_class]}）" if risk_class in RISK_CLASSES else "未分类"
    return ALL


def _quota(spec: dict) -> draw.Quota:
    if spec.get("count") is not None:
        return draw.Quota.of(int(spec["count"]))
    numerator, denominator = spec["ratio"]
    return draw.Quota.share(int(numerator), int(denominator))


def task_quotas(task: Task, strata: set[str]) -> dict[str, draw.Quota]:
    """Per-stratum quotas as the task states them; one ratio for every stratum otherwise."""
    if task.stratum_quotas:
        return {label: _quota(spec) for label, spec in task.stratum_quotas.items() if label in strata}
    if task.quota_count is not None:
        if strata != {ALL}:
            raise UserError("分层抽取按数量时，请在任务中为每一层填写抽取数量（或改用比例）。")
        return {ALL: draw.Quota.of(task.quota_count)}
    return {label: draw.Quota.share(task.ratio_numerator, task.ratio_denominator) for label in strata}


def low_risk_cap(session: Session) -> int:
    row = session.get(Setting, LOW_RISK_CAP_KEY)
    return int(row.value) if row is not None else DEFAULT_LOW_RISK_CAP


def task_label(task: Task) -> str:
    return task.number or task.name


def gather_inputs(session: Session, task: Task, today: date | None = None) -> draw.DrawInputs:
    """The draw's inputs, read from the database as they are now."""
    today = today or date.today()
    flt = SubjectFilter.from_dict(task.scope or {})
    year = session.scalar(select(Plan.year).where(Plan.id == task.plan_id)) or today.year
    drawn_this_year = dict(session.execute(
        select(Inspection.subject_id, func.count()).join(Task, Inspection.task_id == Task.id)
        .join(Plan, Task.plan_id == Plan.id)
        .where(Plan.year == year, Inspection.status != "已替换").group_by(Inspection.subject_id)).all())
    cap = low_risk_cap(session)
    rows = session.execute(
        select(Subject.id, Subject.credit_code, Subject.registration_no, Subject.name, Subject.region,
               Subject.risk_class, Subject.registration_status)
        .where(Subject.id.in_(subject_ids_query(flt))).order_by(Subject.id)).all()
    subjects, exclusions, code_of = [], [], {}
    for row in rows:
        code = row.credit_code or row.registration_no
        if not code:
            continue
        code_of[row.id] = code
        if row.registration_status in INACTIVE_STATUSES:
            exclusions.append(draw.Exclusion(code, INACTIVE_STATUSES[row.registration_status], row.name))
        elif row.risk_class == "A" and drawn_this_year.get(row.id, 0) >= cap:
            exclusions.append(draw.Exclusion(code, f"低风险对象本年度已抽查 {cap} 次", row.name))
        else:
            subjects.append(draw.Subject(code, row.name, stratum_of(task, row.region, row.risk_class)))
    if not subjects:
        raise UserError(f"检查对象范围内没有可抽取的对象（范围：{flt.describe()}）。请调整任务的检查对象范围。")
    strata = {s.stratum for s in subjects}
    departments = [task.initiating_department, *task.participants]
    people = session.scalars(
        select(Inspector).where(Inspector.department_id.in_([d.id for d in departments]))
        .options(selectinload(Inspector.certificates), selectinload(Inspector.status_periods),
                 selectinload(Inspector.department)).order_by(Inspector.id)).all()
    inspectors, cert_of = [], {}
    for person in people:
        main = next((c for c in person.certificates if c.kind == "行政执法证"), None)
        if main is None:
            continue  # only people holding a 执法证 take part in 执法检查
        cert_of[person.id] = main.number
        reasons = unavailability(person.category, certificate_facts(person), period_facts(person),
                                 task.starts_on or today, task.ends_on)
        inspectors.append(draw.Inspector(main.number, person.name, person.department.name, person.can_lead,
                                         "；".join(reasons)))
    conflicts = _conflicts(session, [p.id for p in people], cert_of, code_of, rows)
    parameters = draw.DrawParameters(
        quotas=task_quotas(task, strata), team_size=task.team_size,
        mode=draw.TEAMS_FIRST if task.team_mode == "teams_first" else draw.PER_SUBJECT,
        departments=tuple(d.name for d in departments) if task.participants else (),
        task=task_label(task),
    )
    return draw.DrawInputs(subjects, parameters, inspectors, exclusions, conflicts)


def _conflicts(session: Session, people: list[int], cert_of: dict, code_of: dict, rows) -> list:
    """Declared 回避, with a region expanded to the subjects of that region in the scope."""
    by_region: dict[str, list[str]] = {}
    for row in rows:
        if row.id in code_of:
            by_region.setdefault(row.region, []).append(code_of[row.id])
    pairs: list = []
    for conflict in session.scalars(select(Conflict).where(Conflict.inspector_id.in_(people))):
        inspector = cert_of.get(conflict.inspector_id)
        if inspector is None:
            continue
        if conflict.subject_id is not None and conflict.subject_id in code_of:
            pairs.append(draw.SubjectConflict(inspector, code_of[conflict.subject_id]))
        elif conflict.region is not None:
            pairs.extend(draw.SubjectConflict(inspector, code) for code in by_region.get(conflict.region, []))
        elif conflict.other_inspector_id in cert_of:
            pairs.append(draw.InspectorConflict(inspector, cert_of[conflict.other_inspector_id]))
    return pairs

