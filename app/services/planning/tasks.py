"""抽查任务 inside a plan: fields of PRODUCT.md §2 E, validation as the clerk types, numbering.

A task's 编号 comes from the configurable pattern (设置 → 任务编号格式) and a
per-department, per-year serial taken inside the saving transaction; it is given when
the task is created (or when its 发起部门 changes) and never given out again.

Quotas are stored as the draw protocol commits them: the task's own count or ratio
(``quota_count`` or ``ratio_numerator/ratio_denominator``) applies to every stratum
without a quota of its own in ``stratum_quotas`` ({stratum: {"count": n} | {"ratio": [p, q]}}).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.statuses import TaskDrawStatus
from app.db.models import CheckItem, Department, Plan, SerialCounter, Setting, Task
from app.db.session import Database
from app.domain import quota as quotas
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.planning.plans import draw_status, get_plan_model, kept_records, require_editable
from app.services.system.settings import DEFAULTS, TASK_NUMBER_PATTERN
from app.domain.risk import NO_RISK, RISK_CLASSES, RISK_ORDER, risk_stratum
from app.services.system.serials import format_number, next_serial
from app.services.directory.subject_query import SubjectFilter

SERIAL_KIND = "抽查任务"
METHODS = ("实地核查", "书面检查", "网络监测", "专业机构核查", "抽样检测")
STRATIFY = {"": "不分层", "region": "按所属区域", "risk_class": "按信用风险分类"}
TEAM_MODES = {"per_subject": "每户随机匹配一个检查组", "teams_first": "先抽检查组，再分配检查对象"}
NO_REGION = "未填区域"


RISK_STRATA = tuple(risk_stratum(r) for r in RISK_ORDER)  # 低 → 高

@dataclass
class TaskDetail:
    id: int | None
    plan_id: int
    name: str = ""
    number: str = ""  # assigned by the program; read-only
    initiating_department_id: int | None = None
    participant_ids: list[int] = field(default_factory=list)  # 参与部门 (联合抽查)
    item_ids: list[int] = field(default_factory=list)
    scope: SubjectFilter = field(default_factory=SubjectFilter)
    quota: dict | None = field(default_factory=lambda: {"ratio": [5, 100]})  # 任务（或各分层默认）的比例或数量
    stratify_by: str = ""
    stratum_quotas: dict[str, dict] = field(default_factory=dict)  # 分层 → 单独设定的比例或数量
    starts_on: date | None = None
    ends_on: date | None = None
    methods: list[str] = field(default_factory=lambda: ["实地核查"])
    team_size: int = 2
    team_mode: str = "per_subject"
    team_count: int = 0
    needs_expert: bool = False
    surprise: bool = False

    @property
    def joint(self) -> bool:
        return bool(self.participant_ids)


@dataclass(frozen=True)
class FieldProblems:
    errors: dict[str, str]
    warnings: dict[str, str]


def stratum_caption(stratify_by: str, key: str) -> str:
    """A stratum as shown to people (the labels are already readable: "A（低风险）", a region's name)."""
    return risk_stratum(key) if stratify_by == "risk_class" and key in RISK_CLASSES else key


def check_task(detail: TaskDetail, year: int) -> FieldProblems:
    """What is wrong with a task as typed (no database needed); errors block saving."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    if not detail.name.strip():
        errors["name"] = "请填写任务名称，如“2026年食品经营者随机抽查”。"
    elif len(detail.name.strip()) > 200:
        errors["name"] = "任务名称不能超过200字。"
    if detail.initiating_department_id is None:
        errors["department"] = "请选择发起部门。"
    elif detail.initiating_department_id in detail.participant_ids:
        errors["department"] = "发起部门不必再勾选为参与部门。"
    if not detail.item_ids:
        errors["items"] = "请至少选择一项抽查事项（联合抽查可选多个部门的事项）。"
    if detail.quota is None:
        errors["quota"] = "请填写抽查比例或抽查数量。"
    else:
        try:
            quotas.check(detail.quota)
        except ValueError as exc:
            errors["quota"] = str(exc)
    if detail.stratify_by not in STRATIFY:
        errors["strata"] = "分层方式只能是不分层、按所属区域或按信用风险分类。"
    elif detail.stratum_quotas and not detail.stratify_by:
        errors["strata"] = "不分层时不能设定各分层的数量。"
    else:
        for key, value in detail.stratum_quotas.items():
            label = stratum_caption(detail.stratify_by, key)
            if not key.strip():
                errors["strata"] = "分层名称不能为空。"
            elif detail.stratify_by == "risk_class" and key not in (*RISK_STRATA, NO_RISK):
                errors["strata"] = f"“{key}”不是信用风险分类（{'、'.join(RISK_STRATA)} 或 {NO_RISK}）。"
            else:
                try:
                    quotas.check(value)
                except ValueError as exc:
                    errors["strata"] = f"分层“{label}”：{exc}"
        if not errors.get("strata") and detail.stratify_by == "risk_class" and detail.quota:
            message = _differentiation_warning(detail)
            if message:
                warnings["strata"] = message
    if detail.starts_on is None or detail.ends_on is None:
        errors["dates"] = "请填写检查开始和结束日期。"
    elif detail.ends_on < detail.starts_on:
        errors["dates"] = "检查结束日期不能早于开始日期。"
    elif detail.starts_on.year != year:
        errors["dates"] = f"检查开始日期应在计划年度（{year}年）内。"
    elif detail.ends_on.year != year:
        warnings["dates"] = f"检查结束日期跨入{detail.ends_on.year}年，请确认。"
    unknown = [m for m in detail.methods if m not in METHODS]
    if not detail.methods:
        errors["methods"] = "请至少选择一种检查方式。"
    elif unknown:
        errors["methods"] = f"未知的检查方式：{'、'.join(unknown)}"
    departments = 1 + len(set(detail.participant_ids))
    if detail.team_size < 2:
        errors["team"] = "每组检查人员不能少于2人（法律要求至少两名执法人员）。"
    elif detail.team_size > 20:
        errors["team"] = "每组人数不宜超过20人，请核对。"
    elif detail.participant_ids and detail.team_size < departments:
        errors["team"] = f"联合抽查共{departments}个部门，每组人数不能少于部门数（每个部门至少1人）。"
    if detail.team_mode not in TEAM_MODES:
        errors["team_mode"] = "匹配方式只能是“每户匹配一组”或“先抽检查组”。"
    elif detail.team_mode == "teams_first" and detail.team_count < 1:
        errors["team_mode"] = "先抽检查组时请填写要抽取的检查组数。"
    if detail.surprise:
        warnings["surprise"] = "突击检查：该任务及抽取名单在检查前不公示。"
    return FieldProblems(errors, warnings)


def effective_quota(detail_quota: dict | None, stratum_quotas: dict[str, dict], key: str) -> dict | None:
    """The quota that applies to one stratum: its own, or the task's."""
    return stratum_quotas.get(key) or detail_quota


def _differentiation_warning(detail: TaskDetail) -> str:
    """差异化监管: a higher risk class should not get a lower ratio than a lower one."""
    ratios = [(k, effective_quota(detail.quota, detail.stratum_quotas, k)) for k in RISK_STRATA]
    for (low, low_q), (high, high_q) in ((a, b) for i, a in enumerate(ratios) for b in ratios[i + 1:]):
        if low_q and high_q and not quotas.ratio_at_least(high_q, low_q):
            return (f"差异化监管：{high}的抽查比例（{quotas.format_quota(high_q)}）"
                    f"低于{low}（{quotas.format_quota(low_q)}），请确认。")
    return ""


def preview_number(db: Database, department_id: int, year: int) -> str:
    """The number a new task of this department would get now (the real one is taken on saving)."""
    with db.session() as session:
        dept = session.get(Department, department_id)
        if dept is None:
            return ""
        last = session.scalar(select(SerialCounter.last_serial).where(
            SerialCounter.kind == SERIAL_KIND, SerialCounter.department_id == department_id,
            SerialCounter.year == year)) or 0
        try:
            return format_number(_pattern(session), dept.short_name or dept.name, year, last + 1)
        except UserError as exc:
            return str(exc)


def _pattern(session: Session) -> str:
    row = session.get(Setting, TASK_NUMBER_PATTERN)
    return (row.value if row and row.value else DEFAULTS[TASK_NUMBER_PATTERN]).strip()


def save_task(db: Database, actor: Actor, detail: TaskDetail) -> int:
    """新增 or 修改 a task; a new task (or a new 发起部门) gets its 编号 here."""
    require(actor, Role.CLERK)
    with db.session() as session:
        plan = get_plan_model(session, detail.plan_id)
        require_editable(plan, "修改任务" if detail.id else "新增任务")
        problems = check_task(detail, plan.year)
        if problems.errors:
            raise UserError("；".join(problems.errors.values()))
        initiator = session.get(Department, detail.initiating_department_id)
        participants = [session.get(Department, i) for i in sorted(set(detail.participant_ids))]
        if initiator is None or None in participants:
            raise UserError("所选部门已不存在，请刷新后重选。")
        items = list(session.scalars(select(CheckItem).where(CheckItem.id.in_(detail.item_ids))))
        if len(items) != len(set(detail.item_ids)):
            raise UserError("所选抽查事项中有的已不存在，请重新选择。")
        if detail.id is None:
            task = Task(plan_id=plan.id)
            session.add(task)
            old_items: set[int] = set()
        else:
            task = session.get(Task, detail.id)
            if task is None or task.plan_id != plan.id:
                raise UserError("该抽查任务已不存在，请刷新列表。")
            status = draw_status(session, task.id)
            if status != TaskDrawStatus.NOT_DRAWN:
                raise UserError(f"该任务{status}，不能再修改（抽取的输入已公开承诺）。")
            old_items = {i.id for i in task.items}
        disabled = [i.name for i in items if not i.enabled and i.id not in old_items]
        if disabled:
            raise UserError(f"事项“{disabled[0]}”已停用，不能加入任务。")
        values = {
            "name": detail.name.strip(), "initiating_department_id": initiator.id, "scope": detail.scope.to_dict(),
            "quota_count": detail.quota.get("count") if detail.quota else None,
            "ratio_numerator": detail.quota["ratio"][0] if detail.quota and "ratio" in detail.quota else None,
            "ratio_denominator": detail.quota["ratio"][1] if detail.quota and "ratio" in detail.quota else None,
            "stratify_by": detail.stratify_by,
            "stratum_quotas": dict(sorted(detail.stratum_quotas.items())) if detail.stratify_by else {},
            "starts_on": detail.starts_on, "ends_on": detail.ends_on, "methods": list(detail.methods),
            "team_size": detail.team_size, "needs_expert": detail.needs_expert, "surprise": detail.surprise,
            "team_mode": detail.team_mode, "team_count": detail.team_count if detail.team_mode == "teams_first" else 0,
        }
        changes = audit.apply_changes(task, values)
        wanted_participants = [d.id for d in participants]
        if detail.id is None or sorted(d.id for d in task.participants) != wanted_participants:
            changes["参与部门"] = [sorted(d.name for d in task.participants), [d.name for d in participants]]
            task.participants = participants
        if detail.id is None or old_items != {i.id for i in items}:
            changes["抽查事项"] = [len(old_items), len(items)]
            task.items = items
        if detail.id is None or "initiating_department_id" in changes:
            serial = next_serial(session, SERIAL_KIND, initiator.id, plan.year)
            number = format_number(_pattern(session), initiator.short_name or initiator.name, plan.year, serial)
            changes["编号"] = [task.number or None, number]
            task.number = number
        session.flush()
        if changes:
            audit.record(session, actor, "新增抽查任务" if detail.id is None else "修改抽查任务", "task", task.id,
                         {"编号": task.number, "名称": task.name, **changes})
        return task.id


def delete_task(db: Database, actor: Actor, task_id: int) -> None:
    """Delete a task that has not been drawn; its number is not given out again."""
    require(actor, Role.CLERK)
    with db.session() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise UserError("该抽查任务已不存在，请刷新列表。")
        require_editable(task.plan, "删除任务")
        status = draw_status(session, task.id)
        if status != TaskDrawStatus.NOT_DRAWN:
            raise UserError(f"该任务{status}，不能删除。")
        kept = kept_records(session, task_id=task.id)
        if kept:
            raise UserError(f"该任务已有{kept}，须留档，不能删除；不再执行的任务请在计划调整说明中写明。")
        audit.record(session, actor, "删除抽查任务", "task", task.id, {"编号": task.number, "名称": task.name})
        session.delete(task)


def get_task(db: Database, task_id: int) -> TaskDetail:
    with db.session() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise UserError("该抽查任务已不存在，请刷新列表。")
        return _detail(task)


def _quota_of(task: Task) -> dict | None:
    if task.quota_count is not None:
        return {"count": task.quota_count}
    if task.ratio_numerator is not None:
        return {"ratio": [task.ratio_numerator, task.ratio_denominator]}
    return None


def _detail(task: Task) -> TaskDetail:
    return TaskDetail(
        id=task.id, plan_id=task.plan_id, name=task.name, number=task.number,
        initiating_department_id=task.initiating_department_id,
        participant_ids=sorted(d.id for d in task.participants), item_ids=sorted(i.id for i in task.items),
        scope=SubjectFilter.from_dict(task.scope or {}), quota=_quota_of(task), stratify_by=task.stratify_by or "",
        stratum_quotas=dict(task.stratum_quotas or {}), starts_on=task.starts_on, ends_on=task.ends_on,
        methods=list(task.methods or []), team_size=task.team_size, team_mode=task.team_mode,
        team_count=task.team_count or 0, needs_expert=task.needs_expert, surprise=task.surprise,
    )


@dataclass(frozen=True)
class TaskRow:
    id: int
    plan_id: int
    number: str
    name: str
    initiating_department: str
    participants: tuple[str, ...]
    item_count: int
    scope_text: str
    quota_text: str
    starts_on: date | None
    ends_on: date | None
    draw_status: str  # 未抽取 / 抽取中 / 已抽取
    surprise: bool
    team_size: int
    needs_expert: bool

    @property
    def joint(self) -> bool:
        return bool(self.participants)

    @property
    def period_text(self) -> str:
        if not self.starts_on:
            return ""
        if not self.ends_on:
            return f"{self.starts_on:%Y-%m-%d}"
        end = f"{self.ends_on:%m-%d}" if self.ends_on.year == self.starts_on.year else f"{self.ends_on:%Y-%m-%d}"
        return f"{self.starts_on:%Y-%m-%d} 至 {end}"


def quota_text(task_quota: dict | None, stratify_by: str, stratum_quotas: dict[str, dict]) -> str:
    """"5%", "30 户", "按信用风险分类：5%；D（高风险）全部" …"""
    base = quotas.format_quota(task_quota)
    if not stratify_by:
        return base
    if task_quota and "count" in task_quota:
        base = f"每层 {task_quota['count']} 户"
    parts = [f"{k} {quotas.format_quota(v)}" for k, v in sorted(stratum_quotas.items())]
    return f"{STRATIFY[stratify_by]}：{base}" + ("；" + "、".join(parts) if parts else "")


def list_tasks(db: Database, plan_id: int | None = None, year: int | None = None) -> list[TaskRow]:
    stmt = select(Task).join(Plan).order_by(Plan.year.desc(), Task.plan_id, Task.id)
    if plan_id is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    if year is not None:
        stmt = stmt.where(Plan.year == year)
    with db.session() as session:
        rows = []
        for task in session.scalars(stmt):
            scope = SubjectFilter.from_dict(task.scope or {})
            rows.append(TaskRow(
                task.id, task.plan_id, task.number, task.name, task.initiating_department.name,
                tuple(sorted(d.name for d in task.participants)), len(task.items), scope.describe(),
                quota_text(_quota_of(task), task.stratify_by, task.stratum_quotas or {}),
                task.starts_on, task.ends_on, draw_status(session, task.id), task.surprise, task.team_size,
                task.needs_expert))
        return rows


def describe_task(db: Database, task_id: int) -> list[tuple[str, str]]:
    """A task in words, field by field, for the detail panel and printing."""
    detail = get_task(db, task_id)
    with db.session() as session:
        task = session.get(Task, task_id)
        initiator = task.initiating_department.name
        participants = "、".join(sorted(d.name for d in task.participants)) or "—（本部门抽查）"
        items = [f"{i.compiler or i.lead_departments}：{i.name}" for i in sorted(task.items, key=lambda i: i.id)]
        status = draw_status(session, task_id)
    team = f"{detail.team_size} 人，{TEAM_MODES[detail.team_mode]}"
    if detail.team_mode == "teams_first":
        team += f"（{detail.team_count} 个检查组）"
    extras = [text for flag, text in ((detail.needs_expert, "需要专家"),
                                      (detail.surprise, "突击检查（检查前不公示）")) if flag]
    return [
        ("任务编号", detail.number), ("任务名称", detail.name), ("抽取状态", status),
        ("发起部门", initiator), ("参与部门", participants),
        ("检查对象范围", detail.scope.describe()),
        ("抽查比例或数量", quota_text(detail.quota, detail.stratify_by, detail.stratum_quotas)),
        ("检查时间", TaskRow(0, 0, "", "", "", (), 0, "", "", detail.starts_on, detail.ends_on, "", False, 2,
                             False).period_text),
        ("检查方式", "、".join(detail.methods)), ("检查组", team), ("其他", "、".join(extras) or "—"),
        (f"抽查事项（{len(items)} 项）", "\n".join(items)),
    ]
