"""送达: how and when each notice reached its subject; the 送达回证 to sign; what is still undelivered."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app.db.models import Delivery, Inspection, IssuedDocument, Subject, Task
from app.db.session import Database
from app.documents import load_form
from app.domain.accounts import Actor, Role
from app.domain.notices import (
    DEFAULT_UNDELIVERED_DAYS,
    NOTICE,
    delivery_problems,
    overdue_since,
)
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.notices.content import letterhead
from app.services.progress import NO_PROGRESS, Progress
from app.services.rulebooks.templates import fill_form, template_store

RECEIPT_KIND = "receipt"


@dataclass(frozen=True)
class DeliveryInput:
    method: str
    delivered_on: date | None
    tracking_no: str = ""
    recipient: str = ""
    note: str = ""


def _notice(session, number: str) -> IssuedDocument:
    document = session.scalars(select(IssuedDocument).where(
        IssuedDocument.kind == NOTICE, IssuedDocument.number_text == number.strip())).first()
    if document is None:
        raise UserError(f"登记簿中没有文号为“{number}”的告知书。")
    return document


def record_delivery(db: Database, actor: Actor, number: str, given: DeliveryInput, today: date | None = None) -> None:
    """Record (or correct, audited) the 送达 of a notice in force."""
    require(actor, Role.CLERK)
    with db.session() as session:
        document = _notice(session, number)
        if document.voided_at is not None:
            raise UserError(f"告知书“{document.number_text}”已作废，不再送达；请送达重新出具的告知书。")
        problems = delivery_problems(given.method, given.delivered_on, given.tracking_no,
                                     document.issued_at.date(), today or date.today())
        if problems:
            raise UserError("".join(problems))
        row = session.scalars(select(Delivery).where(Delivery.document_id == document.id)).first()
        values = {"method": given.method, "delivered_on": given.delivered_on, "tracking_no": given.tracking_no.strip(),
                  "recipient": given.recipient.strip(), "note": given.note.strip()}
        if row is None:
            row = Delivery(document_id=document.id, recorded_by=actor.username, **values)
            session.add(row)
            changes = {k: str(v) for k, v in values.items() if v}
            action = "登记送达"
        else:
            changes = {k: [str(getattr(row, k)), str(v)] for k, v in values.items() if getattr(row, k) != v}
            if not changes:
                return
            for key, value in values.items():
                setattr(row, key, value)
            row.recorded_by, row.recorded_at = actor.username, datetime.now().replace(microsecond=0)
            action = "更正送达记录"
        audit.record(session, actor, action, "issued_document", document.id, {"文号": document.number_text, **changes})


@dataclass(frozen=True)
class Undelivered:
    number: str
    subject: str
    issued_on: date
    days: int


def undelivered(db: Database, days: int = DEFAULT_UNDELIVERED_DAYS, today: date | None = None) -> list[Undelivered]:
    """Notices in force issued more than ``days`` days ago with no 送达 recorded, oldest first."""
    today = today or date.today()
    before = datetime.combine(overdue_since(today, days), datetime.min.time())
    with db.session() as session:
        rows = session.execute(
            select(IssuedDocument.number_text, Subject.name, IssuedDocument.issued_at)
            .join(Inspection, Inspection.id == IssuedDocument.inspection_id)
            .join(Subject, Subject.id == Inspection.subject_id)
            .outerjoin(Delivery, Delivery.document_id == IssuedDocument.id)
            .where(IssuedDocument.kind == NOTICE, IssuedDocument.voided_at.is_(None), Delivery.id.is_(None),
                   IssuedDocument.issued_at < before)
            .order_by(IssuedDocument.issued_at, IssuedDocument.serial)).all()
    return [Undelivered(n, s, at.date(), (today - at.date()).days) for n, s, at in rows]


def print_receipts(db: Database, numbers: list[str], out: str | os.PathLike, server: str = "",
                   progress: Progress = NO_PROGRESS) -> int:
    """送达回证 for the chosen notices in one .docx (voided ones refused)."""
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"送达回证输出为 .docx 文件，请把文件名改为以 .docx 结尾：{out.name}")
    items = []
    with db.session() as session:
        for number in numbers:
            document = _notice(session, number)
            if document.voided_at is not None:
                raise UserError(f"告知书“{document.number_text}”已作废，不打印送达回证。")
            inspection = session.get(Inspection, document.inspection_id)
            subject = inspection.subject
            delivery = session.scalars(select(Delivery).where(Delivery.document_id == document.id)).first()
            head = letterhead(session, session.get(Task, document.task_id))
            items.append({"部门名称": head.department, "文书名称": NOTICE, "文号": document.number_text,
                          "受送达人": subject.name, "统一社会信用代码": subject.identifier,
                          "送达地点": subject.address, "送达方式": delivery.method if delivery else "直接送达",
                          "送达人": server, "备注": delivery.note if delivery else ""})
    if not items:
        raise UserError("请先选择要打印送达回证的告知书。")
    store = template_store()
    fill_form(lambda: load_form(RECEIPT_KIND, store.path_for(RECEIPT_KIND)), items, out, progress)
    return len(items)
