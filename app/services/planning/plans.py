"""年度抽查计划: the plan's status flow and its dates (批准、备案、公示); tasks are in plan_tasks.py.

Status flow of a plan (PRODUCT.md §2 E):

    草拟 --提交审批--> 审批 --审批通过(批准日期, 备案日期)--> 审批（已批准）--公示--> 已公示
      ^                 |                                                        |
      +----退回修改------+                              已调整 <--调整(原因)------+
                                                          |
                                                          +--重新公示--> 已公示

Tasks can be added, changed or deleted only while the plan is 草拟 or 已调整, and only
until the task's draw has started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.statuses import DRAW_REVEALED, DrawStatus, PLAN_EDITABLE, PlanStatus, TaskDrawStatus
from app.db.models import Department, Draw, Inspection, IssuedDocument, Plan, Publication, Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require, require_other_person
from app.services.errors import UserError



# ------------------------------------------------------------------------------ plans
@dataclass
class PlanDetail:
    id: int | None
    year: int
    name: str = ""
    department_id: int | None = None  # None: 联合计划 (county-wide, all departments)
    note: str = ""

    @property
    def joint(self) -> bool:
        return self.department_id is None


@dataclass(frozen=True)
class PlanRow:
    id: int
    year: int
    name: str
    department: str  # 部门名称, or 部门联合
    department_id: int | None
    joint: bool
    status: str
    approved_on: date | None
    filed_on: date | None
    published_on: date | None
    task_count: int
    note: str

    @property
    def status_text(self) -> str:
        if self.status == PlanStatus.REVIEW:
            return "已批准，待公示" if self.approved_on else "待审批"
        if self.status == PlanStatus.ADJUSTED:
            return "已调整，待重新公示"
        return self.status

    @property
    def editable(self) -> bool:
        return self.status in PLAN_EDITABLE


def check_plan(detail: PlanDetail) -> dict[str, str]:
    errors = {}
    if not detail.name.strip():
        errors["name"] = "请填写计划名称，如“2026年度部门联合随机抽查工作计划”。"
    elif len(detail.name.strip()) > 200:
        errors["name"] = "计划名称不能超过200字。"
    if not 2000 <= detail.year <= 2100:
        errors["year"] = "年度应在2000至2100之间。"
    return errors


def list_plans(db: Database, year: int | None = None) -> list[PlanRow]:
    counts = select(Task.plan_id, func.count().label("n")).group_by(Task.plan_id).subquery()
    stmt = (select(Plan, Department.name, func.coalesce(counts.c.n, 0))
            .outerjoin(Department, Plan.department_id == Department.id)
            .outerjoin(counts, counts.c.plan_id == Plan.id)
            .order_by(Plan.year.desc(), Plan.id))
    if year is not None:
        stmt = stmt.where(Plan.year == year)
    with db.session() as session:
        return [PlanRow(p.id, p.year, p.name, dept or "部门联合", p.department_id, p.joint, p.status, p.approved_on, p.filed_on,
                        p.published_on, n, p.note) for p, dept, n in session.execute(stmt)]


def plan_years(db: Database) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(Plan.year).distinct().order_by(Plan.year.desc())))


def get_plan(db: Database, plan_id: int) -> PlanRow:
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        year = plan.year
    return next(row for row in list_plans(db, year) if row.id == plan_id)


def get_plan_model(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise UserError("该抽查计划已不存在，请刷新列表。")
    return plan


def save_plan(db: Database, actor: Actor, detail: PlanDetail) -> int:
    """新建 or 编辑 a plan (编辑 only while 草拟 or 已调整)."""
    require(actor, Role.CLERK)
    errors = check_plan(detail)
    if errors:
        raise UserError("；".join(errors.values()))
    with db.session() as session:
        if detail.department_id is not None and session.get(Department, detail.department_id) is None:
            raise UserError("所选部门已不存在，请刷新后重选。")
        if detail.id is None:
            plan = Plan(year=detail.year, status=PlanStatus.DRAFT)
            session.add(plan)
        else:
            plan = get_plan_model(session, detail.id)
            require_editable(plan, "修改计划")
            if plan.year != detail.year and plan.tasks:
                raise UserError("计划中已有任务，不能再改年度（任务编号按年度编排）。请新建该年度的计划。")
        values = {"year": detail.year, "name": detail.name.strip(), "department_id": detail.department_id,
                  "joint": detail.joint, "note": detail.note.strip()}
        changes = {k: [getattr(plan, k, None), v] for k, v in values.items() if getattr(plan, k, None) != v}
        for key, value in values.items():
            setattr(plan, key, value)
        session.flush()
        if changes:
            audit.record(session, actor, "新建抽查计划" if detail.id is None else "修改抽查计划", "plan", plan.id,
                         changes)
        return plan.id


def delete_plan(db: Database, actor: Actor, plan_id: int) -> None:
    """Only a 草拟 plan none of whose tasks has been drawn."""
    require(actor, Role.CLERK)
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        if plan.status != PlanStatus.DRAFT:
            raise UserError("只有草拟状态的计划可以删除；已提交审批或已公示的计划请用“调整”。")
        for task in plan.tasks:
            if draw_status(session, task.id) != TaskDrawStatus.NOT_DRAWN:
                raise UserError(f"任务“{task.name}”已开始抽取，计划不能删除。")
            kept = kept_records(session, task_id=task.id)
            if kept:
                raise UserError(f"任务“{task.name}”已有{kept}，须留档，计划不能删除。")
        if kept_records(session, plan_id=plan.id):
            raise UserError("该计划已有公示记录，须留档，不能删除。")
        audit.record(session, actor, "删除抽查计划", "plan", plan.id,
                     {"名称": plan.name, "年度": plan.year, "任务": [t.number for t in plan.tasks]})
        for task in list(plan.tasks):
            session.delete(task)
        session.delete(plan)


def submit_plan(db: Database, actor: Actor, plan_id: int) -> None:
    """草拟 → 审批."""
    require(actor, Role.CLERK)
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        if plan.status != PlanStatus.DRAFT:
            raise UserError(f"计划当前为“{plan.status}”，只有草拟的计划可以提交审批。")
        if not plan.tasks:
            raise UserError("计划中还没有抽查任务，请先添加任务再提交审批。")
        plan.status, plan.submitted_by = PlanStatus.REVIEW, actor.username
        audit.record(session, actor, "提交审批", "plan", plan.id, {"名称": plan.name, "任务数": len(plan.tasks)})


def return_plan(db: Database, actor: Actor, plan_id: int, reason: str) -> None:
    """审批 → 草拟 (退回修改), with the reason."""
    require(actor, Role.REVIEWER)
    if not reason.strip():
        raise UserError("请填写退回修改的原因。")
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        if plan.status != PlanStatus.REVIEW:
            raise UserError("只有审批中的计划可以退回修改。")
        plan.status, plan.approved_on, plan.filed_on = PlanStatus.DRAFT, None, None
        audit.record(session, actor, "退回修改", "plan", plan.id, {"名称": plan.name, "原因": reason.strip()})


def approve_plan(db: Database, actor: Actor, plan_id: int, approved_on: date, filed_on: date | None = None) -> None:
    """审批通过: records the 批准日期 and, when given, the 备案日期."""
    require(actor, Role.REVIEWER)
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        if plan.status != PlanStatus.REVIEW or plan.approved_on is not None:
            raise UserError("只有已提交、尚未批准的计划可以审批通过。")
        require_other_person(actor, plan.submitted_by, "抽查计划")
        if approved_on.year < plan.year - 1:
            raise UserError(f"批准日期 {approved_on:%Y-%m-%d} 早于计划年度，请核对。")
        if filed_on is not None and filed_on < approved_on:
            raise UserError("备案日期不能早于批准日期。")
        plan.approved_on, plan.filed_on, plan.approved_by = approved_on, filed_on, actor.name
        audit.record(session, actor, "审批通过", "plan", plan.id,
                     {"名称": plan.name, "批准日期": approved_on, "备案日期": filed_on})


def record_filing(db: Database, actor: Actor, plan_id: int, filed_on: date) -> None:
    """备案: the date the approved plan was filed (报备) with the 双随机办 or the platform."""
    require(actor, Role.CLERK)
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        if plan.approved_on is None:
            raise UserError("计划尚未批准，不能登记备案日期。")
        if filed_on < plan.approved_on:
            raise UserError("备案日期不能早于批准日期。")
        audit.record(session, actor, "登记备案", "plan", plan.id, {"名称": plan.name, "备案日期": [plan.filed_on, filed_on]})
        plan.filed_on = filed_on


def publish_plan(db: Database, actor: Actor, plan_id: int, published_on: date) -> None:
    """公示 an approved plan, or 重新公示 an adjusted one → 已公示 (突击检查 tasks are left out of the published table)."""
    require(actor, Role.CLERK)
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        if plan.status in (PlanStatus.DRAFT, PlanStatus.REVIEW) and plan.approved_on is None:
            raise UserError("计划尚未审批通过，不能公示：请先“提交审批”，批准后再公示。")
        if plan.status not in (PlanStatus.REVIEW, PlanStatus.ADJUSTED):
            raise UserError(f"计划当前为“{plan.status}”，不能公示。")
        if plan.approved_on and published_on < plan.approved_on:
            raise UserError("公示日期不能早于批准日期。")
        action = "重新公示抽查计划" if plan.status == PlanStatus.ADJUSTED else "公示抽查计划"
        audit.record(session, actor, action, "plan", plan.id,
                     {"名称": plan.name, "公示日期": [plan.published_on, published_on]})
        plan.status, plan.published_on = PlanStatus.PUBLISHED, published_on


def adjust_plan(db: Database, actor: Actor, plan_id: int, reason: str, on: date | None = None) -> None:
    """调整 a published plan: its tasks become editable again; it must be published again afterwards."""
    require(actor, Role.CLERK)
    if not reason.strip():
        raise UserError("请填写调整原因（如：根据上级部署增加专项抽查任务）。")
    on = on or date.today()
    with db.session() as session:
        plan = get_plan_model(session, plan_id)
        if plan.status != PlanStatus.PUBLISHED:
            raise UserError("只有已公示的计划需要走“调整”；草拟的计划可直接修改。")
        plan.status = PlanStatus.ADJUSTED
        line = f"{on:%Y-%m-%d} 调整：{reason.strip()}"
        plan.note = f"{plan.note}\n{line}".strip()
        audit.record(session, actor, "调整抽查计划", "plan", plan.id, {"名称": plan.name, "原因": reason.strip()})


def draw_status(session: Session, task_id: int) -> str:
    """未抽取, 抽取中 (a live draw not yet revealed) or 已抽取."""
    statuses = set(session.scalars(select(Draw.status).where(Draw.task_id == task_id, Draw.status != DrawStatus.ABANDONED)))
    if statuses & set(DRAW_REVEALED) or session.scalar(
            select(func.count()).select_from(Inspection).where(Inspection.task_id == task_id)):
        return TaskDrawStatus.DRAWN
    return TaskDrawStatus.DRAWING if statuses else TaskDrawStatus.NOT_DRAWN


def kept_records(session: Session, task_id: int | None = None, plan_id: int | None = None) -> str:
    """What keeps a task or plan from being deleted: its draws (abandoned ones too), 公示, documents."""
    if task_id is not None:
        for model, what in ((Draw, "抽取记录（含已放弃的）"), (Publication, "公示记录"), (IssuedDocument, "已出具的文书")):
            if session.scalar(select(func.count()).select_from(model).where(model.task_id == task_id)):
                return what
    if plan_id is not None and session.scalar(
            select(func.count()).select_from(Publication).where(Publication.plan_id == plan_id)):
        return "公示记录"
    return ""


def require_editable(plan: Plan, what: str) -> None:
    if plan.status == PlanStatus.REVIEW:
        raise UserError(f"计划正在审批，不能{what}；如需修改，请先“退回修改”。")
    if plan.status == PlanStatus.PUBLISHED:
        raise UserError(f"计划已公示，{what}前请先点“调整”并填写调整原因（调整后须重新公示）。")
