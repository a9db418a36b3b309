"""Issuing 检查结果告知书: numbers, the issued files, 作废 and reissue, and printing a batch.

Everything of a batch happens in one transaction: the counter is locked first, the notices are
numbered consecutively, rendered, and stored with their file bytes; any failure (or 取消) rolls
all of it back, numbers included, so the register never has a gap and nothing is half-issued.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.domain.statuses import DrawStatus
from app.db.models import Draw, Inspection, IssuedDocument, Task
from app.db.session import Database
from app.documents import DocxForm, TemplateProblem
from app.domain.accounts import Actor, Role
from app.domain.inspection import InspectionStatus
from app.domain.notices import NOTICE, NoticeRef, text_hash
from app.services.system import audit
from app.services.system import settings as office_settings
from app.services.accounts import require
from app.services.errors import UserError
from app.services.notices.content import (
    item_names_in,
    letterhead,
    load_inspections,
    notice_fields,
)
from app.services.system.serials import format_number, lock_counter, take_serials
from app.services.notices.record_number import issuer, number_in, number_pattern
from app.services.progress import NO_PROGRESS, Progress
from app.services.rulebooks.templates import template_store

KIND_KEY = "notice"


@dataclass(frozen=True)
class IssuedNotice:
    id: int
    number: str
    inspection_id: int
    subject: str
    subject_code: str
    sha256: str
    qr_text: str


def notice_form() -> DocxForm:
    try:
        return template_store().load(KIND_KEY)
    except TemplateProblem as exc:
        raise UserError(str(exc)) from exc


def _issuer(db: Database, task_id: int) -> tuple[int, str]:
    with db.session() as session:
        return issuer(session, task_id)


def _live_notice_ids(session: Session, inspection_ids) -> set[int]:
    return set(session.scalars(select(IssuedDocument.inspection_id).where(
        IssuedDocument.kind == NOTICE, IssuedDocument.voided_at.is_(None),
        IssuedDocument.inspection_id.in_(inspection_ids))))


def _candidates(session: Session, task_id: int, inspection_ids: list[int] | None) -> list[Inspection]:
    condition = Inspection.task_id == task_id
    if inspection_ids is not None:
        condition &= Inspection.id.in_(inspection_ids)
    chosen = load_inspections(session, condition & (Inspection.status != InspectionStatus.REPLACED))
    issued = _live_notice_ids(session, [i.id for i in chosen])
    if inspection_ids is not None:
        found = {i.id for i in chosen}
        missing = [str(i) for i in inspection_ids if i not in found]
        if missing:
            raise UserError(f"所选检查记录（{'、'.join(missing)}）不属于该任务或已被替换。")
        waiting = [i.subject.name for i in chosen if i.status != InspectionStatus.APPROVED]
        if waiting:
            raise UserError(f"“{waiting[0]}”等 {len(waiting)} 户的检查结果尚未审核通过，不能出具告知书。")
        done = [i.subject.name for i in chosen if i.id in issued]
        if done:
            raise UserError(f"“{done[0]}”等 {len(done)} 户已出具告知书；如需更正，请先作废原告知书再重新出具。")
    chosen = [i for i in chosen if i.status == InspectionStatus.APPROVED and i.id not in issued]
    if not chosen:
        raise UserError("没有可出具告知书的检查记录：须检查结果审核通过，且尚未出具（或原告知书已作废）。")
    return chosen


def _previous(session: Session, inspection_ids: list[int]) -> dict[int, int]:
    """The latest voided notice of each inspection (a new one replaces it)."""
    rows = session.execute(select(IssuedDocument.inspection_id, IssuedDocument.id).where(
        IssuedDocument.kind == NOTICE, IssuedDocument.voided_at.is_not(None),
        IssuedDocument.inspection_id.in_(inspection_ids)).order_by(IssuedDocument.id))
    return dict(rows.all())


def issue_notices(db: Database, actor: Actor, task_id: int, inspection_ids: list[int] | None = None, *,
                  today: date | None = None, progress: Progress = NO_PROGRESS) -> list[IssuedNotice]:
    """Issue the notices of a task's approved inspections (or the chosen ones), all or nothing."""
    require(actor, Role.CLERK)
    today = today or date.today()
    department_id, short = _issuer(db, task_id)
    form = notice_form()
    made: list[tuple[IssuedDocument, Inspection]] = []
    try:
        with db.session() as session:
            lock_counter(session, NOTICE, department_id, today.year)  # first: see README of numbering
            task = session.get(Task, task_id, options=[selectinload(Task.participants)])
            chosen = _candidates(session, task_id, inspection_ids)
            pattern = number_pattern(session, office_settings.NOTICE_NUMBER_PATTERN)
            serials = take_serials(session, NOTICE, department_id, today.year, len(chosen))
            head = letterhead(session, task)
            names = item_names_in(session, chosen)
            replaced = _previous(session, [i.id for i in chosen])
            now = datetime.combine(today, datetime.now().time()).replace(microsecond=0)
            for n, (inspection, serial) in enumerate(zip(chosen, serials), 1):
                fields = notice_fields(inspection, head, names, today)
                number = format_number(pattern, short, today.year, serial)
                fields["文号"] = number
                code = inspection.subject.identifier
                ref = NoticeRef(department_id, today.year, serial, code, text_hash(fields))
                fields["核验二维码"] = ref.text
                data = form.fill(fields)
                document = IssuedDocument(
                    kind=NOTICE, department_id=department_id, year=today.year, serial=serial, number_text=number,
                    task_id=task_id, inspection_id=inspection.id, file_name=f"{number}_{inspection.subject.name}.docx",
                    sha256=hashlib.sha256(data).hexdigest(), text_sha256=ref.sha256, qr_text=ref.text, content=data,
                    issued_by=actor.username, issued_at=now, replaces_id=replaced.get(inspection.id))
                session.add(document)
                made.append((document, inspection))
                progress.step(n, len(chosen), f"正在出具告知书 {number}")
            draw = session.scalars(select(Draw).where(Draw.task_id == task.id, Draw.status != DrawStatus.ABANDONED)).first()
            if draw is not None:
                number_in(session, actor, draw, today)
            session.flush()
            audit.record(session, actor, "出具检查结果告知书", "task", task_id,
                         {"份数": len(made), "文号": [made[0][0].number_text, made[-1][0].number_text]})
            return [IssuedNotice(d.id, d.number_text, i.id, i.subject.name, i.subject.identifier, d.sha256, d.qr_text)
                    for d, i in made]
    except IntegrityError as exc:
        raise UserError("其他电脑正在为同一批检查记录出具告知书，本次未出具任何告知书；请刷新后重试。") from exc


def void_notice(db: Database, actor: Actor, number: str, reason: str) -> None:
    """作废: the number stays used and the register shows it voided; the inspection may be issued again."""
    require(actor, Role.CLERK)
    if not reason.strip():
        raise UserError("作废告知书须填写原因。")
    with db.session() as session:
        document = session.scalars(select(IssuedDocument).where(
            IssuedDocument.kind == NOTICE, IssuedDocument.number_text == number.strip())).first()
        if document is None:
            raise UserError(f"登记簿中没有文号为“{number}”的告知书。")
        if document.voided_at is not None:
            raise UserError(f"告知书“{number}”已于 {document.voided_at:%Y-%m-%d} 作废（{document.void_reason}）。")
        document.voided_at = datetime.now().replace(microsecond=0)
        document.voided_by, document.void_reason = actor.username, reason.strip()
        audit.record(session, actor, "作废检查结果告知书", "issued_document", document.id,
                     {"文号": document.number_text, "原因": reason.strip()})


def notice_files(db: Database, task_id: int | None = None, document_ids: list[int] | None = None,
                 include_voided: bool = False) -> list[tuple[str, bytes]]:
    """(file name, bytes as issued) of a task's notices (or the chosen ones), in number order."""
    with db.session() as session:
        condition = IssuedDocument.kind == NOTICE
        if task_id is not None:
            condition &= IssuedDocument.task_id == task_id
        if document_ids is not None:
            condition &= IssuedDocument.id.in_(document_ids)
        if not include_voided:
            condition &= IssuedDocument.voided_at.is_(None)
        rows = session.execute(select(IssuedDocument.file_name, IssuedDocument.content).where(condition)
                               .order_by(IssuedDocument.year, IssuedDocument.serial)).all()
    return [(name, content) for name, content in rows]


def print_notices(db: Database, task_id: int | None, out: str | os.PathLike, document_ids: list[int] | None = None,
                  progress: Progress = NO_PROGRESS) -> int:
    """One combined .docx of the notices exactly as issued (voided ones left out); returns how many."""
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"告知书输出为 .docx 文件，请把文件名改为以 .docx 结尾：{out.name}")
    progress.step(0, 0, "正在读取已出具的告知书…")
    files = notice_files(db, task_id, document_ids)
    if not files:
        raise UserError("该任务还没有出具（未作废的）告知书，没有可打印的。")
    data = notice_form().combine_files([content for _, content in files])
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise UserError(f"无法写入 {out}：文件可能正在 WPS 或 Word 中打开，请关闭后重试。") from exc
    return len(files)
