"""Coverage of a year's plans (PRODUCT.md §2 E): what the office checks before publishing.

1. 全覆盖: every enabled item of the 清单 is covered by some task of the year;
2. each department's planned draw ratio: subjects it plans to check over the subjects
   in its tasks' scopes (a joint task counts for each of its departments);
3. subjects already at their yearly cap (low-risk subjects drawn N times this year).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, not_, or_, select, true

from app.db.models import CheckItem, Department, Inspection, Plan, Subject, Task, task_items
from app.db.session import Database
from app.services.planning.tasks import TaskDetail, get_task
from app.services.planning.plans import list_plans
from app.services.directory.subject_query import subject_ids_query
from app.domain.risk import YearlyCap
from app.services.planning.population import (
    CLOSED_STATUSES, key_subject_condition, plan_quotas, population, times_drawn_query,
)
from app.services.system.settings import yearly_cap


@dataclass(frozen=True)
class UncoveredItem:
    id: int
    list_name: str
    compiler: str  # 编制单位 (or the joint list's 发起部门)
    category: str
    name: str
    item_class: str


@dataclass(frozen=True)
class DepartmentRatio:
    department: str
    tasks: int  # tasks it initiates or takes part in
    population: int  # subjects in the union of those tasks' scopes (注销/吊销/迁出/撤销 not counted)
    planned: int  # subjects to check: drawn so far, or what the quotas ask for when not yet drawn
    drawn: int  # already drawn

    @property
    def ratio_text(self) -> str:
        if not self.population:
            return "—"
        tenths = (self.planned * 1000 + self.population // 2) // self.population
        return f"{tenths // 10}.{tenths % 10}%"


@dataclass(frozen=True)
class CappedSubject:
    id: int
    code: str
    name: str
    risk_class: str
    times: int


@dataclass(frozen=True)
class Coverage:
    year: int
    plans: int
    tasks: int
    enabled_items: int
    covered_items: int
    uncovered: list[UncoveredItem]
    departments: list[DepartmentRatio]
    cap: YearlyCap
    capped: list[CappedSubject]

    @property
    def fully_covered(self) -> bool:
        return self.enabled_items > 0 and not self.uncovered


def coverage(db: Database, year: int) -> Coverage:
    cap = yearly_cap(db)
    with db.session() as session:
        task_ids = list(session.scalars(select(Task.id).join(Plan).where(Plan.year == year).order_by(Task.id)))
        covered = select(task_items.c.check_item_id).join(Task, Task.id == task_items.c.task_id) \
            .join(Plan, Plan.id == Task.plan_id).where(Plan.year == year)
        enabled = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.enabled)) or 0
        uncovered = [UncoveredItem(i.id, i.list_name, i.compiler or i.lead_departments, i.category, i.name,
                                   i.item_class)
                     for i in session.scalars(select(CheckItem).where(CheckItem.enabled, CheckItem.id.not_in(covered))
                                              .order_by(CheckItem.list_name.desc(), CheckItem.id))]
        drawn = times_drawn_query(year).subquery()
        capped = [CappedSubject(r.id, r.credit_code or r.registration_no or "", r.name, r.risk_class, r.times)
                  for r in session.execute(
                      select(Subject.id, Subject.credit_code, Subject.registration_no, Subject.name,
                             Subject.risk_class, drawn.c.times)
                      .join(drawn, drawn.c.subject_id == Subject.id)
                      .where(drawn.c.times >= cap.times, Subject.risk_class.in_(cap.risk_classes),
                             not_(key_subject_condition()))
                      .order_by(drawn.c.times.desc(), Subject.name))]
        drawn_per_task = dict(session.execute(
            select(Inspection.task_id, func.count()).where(Inspection.task_id.in_(task_ids),
                                                           Inspection.status != "已替换")
            .group_by(Inspection.task_id)).all())
    details = [get_task(db, task_id) for task_id in task_ids]
    with db.session() as session:
        names = {d.id: d.name for d in session.scalars(select(Department))}
    per_department: dict[int, list[TaskDetail]] = {}
    planned: dict[int, int] = {}
    for detail in details:
        if detail.id in drawn_per_task:
            planned[detail.id] = drawn_per_task[detail.id]
        else:
            strata = population(db, detail.scope, detail.stratify_by, year).strata
            planned[detail.id] = plan_quotas(detail, strata).total
        for dept_id in {detail.initiating_department_id, *detail.participant_ids}:
            per_department.setdefault(dept_id, []).append(detail)
    ratios = []
    for dept_id, tasks in sorted(per_department.items(), key=lambda kv: names.get(kv[0], "")):
        ratios.append(DepartmentRatio(
            names.get(dept_id, "（已删除的部门）"), len(tasks), _union_population(db, tasks),
            sum(planned[t.id] for t in tasks), sum(drawn_per_task.get(t.id, 0) for t in tasks)))
    return Coverage(year, len(list_plans(db, year)), len(task_ids), enabled, enabled - len(uncovered), uncovered,
                    ratios, cap, capped)


def _union_population(db: Database, tasks: list[TaskDetail]) -> int:
    clauses = []
    for task in tasks:
        where = subject_ids_query(task.scope).whereclause
        clauses.append(true() if where is None else where)
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Subject).where(
            and_(not_(Subject.registration_status.in_(CLOSED_STATUSES)), or_(*clauses)))) or 0
