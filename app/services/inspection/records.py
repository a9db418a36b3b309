"""Inspections as the draw leaves them, and what the results page and the CLI read of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import inspect as orm_inspect
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import (
    CheckItem,
    Inspection,
    Inspector,
    ItemGuide,
    ItemResult,
    Plan,
    Subject,
    Task,
    Team,
)
from app.db.session import Database
from app.domain.inspection import InspectionStatus, parse_qr, qr_payload
from app.services.errors import UserError
from app.services.rulebooks.versions import default_check_points


def sync_draw(session: Session, draw_id: int, task: Task) -> None:
    """Called by the draw service whenever its result is written (matching, each replacement).

    Every live inspection gets one result row per 检查事项 of the task (empty: not yet entered).
    A subject whose result has already been entered cannot be replaced: the result is the record
    of what happened there (无法联系 is a result, not a reason to draw someone else).
    """
    for inspection in [obj for obj in session.dirty if isinstance(obj, Inspection)]:
        changed = orm_inspect(inspection).attrs.status.history.has_changes()
        if changed and inspection.status == InspectionStatus.REPLACED and inspection.entered_by:
            name = session.get(Subject, inspection.subject_id).name
            raise UserError(f"“{name}”的检查结果已经录入，不能再替换该检查对象。")
    session.flush()
    inspections = session.scalars(select(Inspection).where(Inspection.draw_id == draw_id)
                                  .options(selectinload(Inspection.results))).all()
    item_ids = [item.id for item in task.items]
    for inspection in inspections:
        if inspection.status != InspectionStatus.REPLACED and not inspection.results:
            inspection.results = [ItemResult(check_item_id=item_id) for item_id in item_ids]


@dataclass(frozen=True)
class InspectionRow:
    id: int
    task_id: int
    draw_rank: int
    subject_id: int
    subject_code: str
    subject_name: str
    address: str
    status: str
    team: str  # 第3组
    leader: str
    members: tuple[str, ...]
    inspected_on: date | None
    result: str  # categories joined by 、
    handling: str  # follow-ups joined by 、
    closed_on: date | None
    replaced_reason: str
    returned_reason: str

    @property
    def qr_text(self) -> str:
        return qr_payload(self.id, self.subject_code)


@dataclass(frozen=True)
class TaskChoice:
    id: int
    name: str
    number: str
    year: int
    inspections: int

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）" if self.number else self.name


def tasks_with_inspections(db: Database) -> list[TaskChoice]:
    """Tasks whose draw has produced inspections, newest plan first (for the task picker)."""
    from sqlalchemy import func

    stmt = (select(Task.id, Task.name, Task.number, Plan.year, func.count(Inspection.id))
            .join(Plan, Task.plan_id == Plan.id).join(Inspection, Inspection.task_id == Task.id)
            .where(Inspection.status != InspectionStatus.REPLACED)
            .group_by(Task.id, Task.name, Task.number, Plan.year).order_by(Plan.year.desc(), Task.id.desc()))
    with db.session() as session:
        return [TaskChoice(*row) for row in session.execute(stmt)]


def _names(session: Session, team_ids: set[int]) -> dict[int, tuple[int, str, tuple[str, ...]]]:
    teams = session.scalars(select(Team).where(Team.id.in_(team_ids)).options(selectinload(Team.members))).all()
    people = {p.id: p.name for p in session.scalars(select(Inspector).where(
        Inspector.id.in_({m.inspector_id for t in teams for m in t.members})))}
    return {t.id: (t.number, people.get(t.leader_id, ""), tuple(people[m.inspector_id] for m in t.members))
            for t in teams}


def _row(inspection: Inspection, subject: Subject, teams: dict) -> InspectionRow:
    number, leader, members = teams.get(inspection.team_id, (0, "", ()))
    return InspectionRow(
        id=inspection.id, task_id=inspection.task_id, draw_rank=inspection.draw_rank, subject_id=subject.id,
        subject_code=subject.identifier, subject_name=subject.name, address=subject.address,
        status=inspection.status, team=f"第{number}组" if number else "", leader=leader, members=members,
        inspected_on=inspection.inspected_on, result=inspection.result_category, handling=inspection.handling,
        closed_on=inspection.closed_on, replaced_reason=inspection.replaced_reason,
        returned_reason=inspection.returned_reason)


def rows_in(session: Session, condition) -> list[InspectionRow]:
    pairs = session.execute(select(Inspection, Subject).join(Subject, Inspection.subject_id == Subject.id)
                            .where(condition).order_by(Inspection.task_id, Inspection.draw_rank)).all()
    teams = _names(session, {i.team_id for i, _ in pairs if i.team_id})
    return [_row(inspection, subject, teams) for inspection, subject in pairs]


def list_inspections(db: Database, task_id: int, status: str = "", search: str = "") -> list[InspectionRow]:
    """A task's inspections in the draw's order; ``status`` and ``search`` (name or code) filter."""
    condition = Inspection.task_id == task_id
    if status:
        condition &= Inspection.status == status
    if search.strip():
        like = f"%{search.strip()}%"
        condition &= or_(Subject.name.like(like), Subject.credit_code.like(like.upper()),
                         Subject.registration_no.like(like))
    with db.session() as session:
        if session.get(Task, task_id) is None:
            raise UserError(f"没有编号为 {task_id} 的任务。")
        return rows_in(session, condition)


def find_inspection(db: Database, text: str, task_id: int | None = None) -> InspectionRow:
    """The inspection a scanned or typed 检查表 code names, or (within a task) a subject's code or name."""
    text = text.strip()
    if not text:
        raise UserError("请输入或扫描检查表上的二维码内容、统一社会信用代码或单位名称。")
    parsed = parse_qr(text)
    with db.session() as session:
        if parsed is not None:
            rows = rows_in(session, Inspection.id == parsed[0])
            if not rows or rows[0].subject_code != parsed[1]:
                raise UserError("二维码不属于本数据库中的检查表（检查记录不存在或对象不符）。")
        else:
            condition = Inspection.status != InspectionStatus.REPLACED
            if task_id is not None:
                condition &= Inspection.task_id == task_id
            code = text.upper()
            rows = rows_in(session, condition & or_(Subject.credit_code == code, Subject.registration_no == text,
                                                    Subject.name == text))
            if not rows:
                raise UserError(f"找不到“{text}”的检查记录：请核对二维码、信用代码或单位名称。")
        if task_id is not None and rows[0].task_id != task_id:
            task = session.get(Task, rows[0].task_id)
            raise UserError(f"该检查表属于另一任务：{task.name}。请先在任务列表中选择该任务。")
        return rows[0]


@dataclass(frozen=True)
class ItemRow:
    check_item_id: int
    name: str
    department: str  # 编制单位 (joint tasks: each department's items on one form)
    check_points: tuple[str, ...]
    finding: str
    category: str  # "" until entered
    handling: str


@dataclass(frozen=True)
class InspectionDetail:
    row: InspectionRow
    task_name: str
    task_number: str
    starts_on: date | None
    ends_on: date | None
    methods: tuple[str, ...]
    categories: tuple[str, ...]
    follow_ups: tuple[str, ...]
    rectify_by: date | None
    handed_to: str
    handed_on: date | None
    copied_to: str
    note: str
    entered_by: str
    submitted_by: str
    reviewed_by: str
    items: tuple[ItemRow, ...]


def check_points(session: Session, items: list[CheckItem]) -> dict[int, tuple[str, ...]]:
    """The 检查要点 of the 工作指引 in force per item (the default guide's when none was saved)."""
    points = {item.id: tuple(default_check_points(item)) for item in items}
    for guide in session.scalars(select(ItemGuide).where(ItemGuide.check_item_id.in_(points))
                                 .order_by(ItemGuide.check_item_id, ItemGuide.version)):
        lines = guide.check_points or [line for line in guide.content.splitlines() if line.strip()]
        points[guide.check_item_id] = tuple(lines)
    return points


def get_inspection(db: Database, inspection_id: int) -> InspectionDetail:
    with db.session() as session:
        inspection = session.get(Inspection, inspection_id)
        if inspection is None:
            raise UserError("找不到这条检查记录，请刷新后重试。")
        row = rows_in(session, Inspection.id == inspection_id)[0]
        task = session.get(Task, inspection.task_id)
        items = {i.id: i for i in session.scalars(select(CheckItem).where(
            CheckItem.id.in_([r.check_item_id for r in inspection.results])))}
        points = check_points(session, list(items.values()))
        return InspectionDetail(
            row=row, task_name=task.name, task_number=task.number, starts_on=task.starts_on, ends_on=task.ends_on,
            methods=tuple(inspection.methods), categories=tuple(inspection.categories),
            follow_ups=tuple(inspection.follow_ups), rectify_by=inspection.rectify_by,
            handed_to=inspection.handed_to, handed_on=inspection.handed_on, copied_to=inspection.copied_to,
            note=inspection.note, entered_by=inspection.entered_by, submitted_by=inspection.submitted_by,
            reviewed_by=inspection.reviewed_by,
            items=tuple(ItemRow(r.check_item_id, items[r.check_item_id].name, items[r.check_item_id].compiler,
                                points.get(r.check_item_id, ()), r.finding, r.result_category, r.handling)
                        for r in inspection.results))

