"""What a task's draw is drawn from.

Planning fixes the subjects side (``task_draw_spec``: eligible subjects with their strata,
exclusions with reasons, quotas, team rules); this module adds the people side — the
departments' inspectors with the reason any of them cannot be drawn on the inspection
dates, and the declared 回避 pairs — and hands everything to the pure engine
(app.domain.draw) as plain values. The engine commits to it before any witness digit exists.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Conflict, Department, Inspector, Subject
from app.db.session import Database
from app.domain import draw
from app.domain.eligibility import unavailability
from app.services.errors import UserError
from app.services.directory.inspectors import certificate_facts, period_facts
from app.services.planning.population import TaskDrawSpec, task_draw_spec


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
