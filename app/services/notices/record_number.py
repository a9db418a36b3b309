"""The 抽取过程记录's number in the register (发文登记簿): given once per draw, the first time the
record is printed (or, for a draw printed before numbering existed, when its task's notices are
issued), in the same transaction as the register line and its audit entry."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Department, Draw, IssuedDocument, Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.notices import DRAW_RECORD
from app.services.accounts import require
from app.services.errors import UserError
from app.services.notices.content import office_settings_in
from app.services.system.serials import format_number, lock_counter, take_serials
from app.services.system import audit
from app.services.system import settings as office_settings


def number_pattern(session: Session, key: str) -> str:
    """The office's pattern for a kind of document number; it must hold {序号}."""
    pattern = office_settings_in(session)[key].strip()
    if "{序号}" not in pattern:
        what = "告知书文号" if key == office_settings.NOTICE_NUMBER_PATTERN else "抽取过程记录编号"
        raise UserError(f"{what}格式“{pattern}”中没有“{{序号}}”，文号会重复。请在“设置”中修改。")
    return pattern


def issuer(session: Session, task_id: int) -> tuple[int, str]:
    """(department id, short name) of the department that issues the task's documents."""
    task = session.get(Task, task_id)
    if task is None:
        raise UserError(f"没有编号为 {task_id} 的任务。")
    dept = session.get(Department, task.initiating_department_id)
    return dept.id, dept.short_name or dept.name


def number_in(session: Session, actor: Actor, draw: Draw, today: date) -> str:
    """The draw's record number, registering it (the counter locked first) when it has none yet."""
    existing = session.scalar(select(IssuedDocument.number_text).where(
        IssuedDocument.kind == DRAW_RECORD, IssuedDocument.draw_id == draw.id))
    if existing is not None:
        return existing
    require(actor, Role.CLERK)
    task = session.get(Task, draw.task_id)
    department_id, short = issuer(session, task.id)
    lock_counter(session, DRAW_RECORD, department_id, today.year)
    serial = take_serials(session, DRAW_RECORD, department_id, today.year, 1)[0]
    number = format_number(number_pattern(session, office_settings.RECORD_NUMBER_PATTERN), short,
                                today.year, serial)
    session.add(IssuedDocument(
        kind=DRAW_RECORD, department_id=department_id, year=today.year, serial=serial, number_text=number,
        task_id=task.id, draw_id=draw.id, file_name=f"{number}_{DRAW_RECORD}.docx", issued_by=actor.username,
        issued_at=datetime.combine(today, datetime.now().time()).replace(microsecond=0)))
    audit.record(session, actor, "登记抽取过程记录", "draw", draw.id, {"编号": number, "任务": task.number})
    return number


def draw_record_number(db: Database, actor: Actor, draw_id: int, today: date | None = None) -> str:
    """The number printed on a draw's 抽取过程记录 (given now if this is its first printing)."""
    with db.session() as session:
        draw = session.get(Draw, draw_id)
        if draw is None:
            raise UserError(f"没有编号为 {draw_id} 的抽取。")
        return number_in(session, actor, draw, today or date.today())
