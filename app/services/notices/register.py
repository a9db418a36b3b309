"""发文登记簿: every issued document (告知书 and 抽取过程记录), searchable, exported to .xlsx."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import or_, select

from app.db.models import Delivery, Inspection, IssuedDocument, Subject, Task
from app.db.session import Database
from app.domain.notices import safe_cell
from app.services.errors import UserError

VOIDED, IN_FORCE = "已作废", "有效"


@dataclass(frozen=True)
class RegisterRow:
    id: int
    number: str
    kind: str
    subject: str
    subject_code: str
    task_number: str
    task_name: str
    issued_at: datetime
    issued_by: str
    delivery: str  # "邮寄送达 2026-12-02（EMS…）" or ""
    voided: bool
    void_reason: str
    inspection_id: int | None = None

    @property
    def status(self) -> str:
        return f"{VOIDED}：{self.void_reason}" if self.voided else IN_FORCE


def _delivery_text(method: str | None, on: date | None, tracking: str | None) -> str:
    if not method:
        return ""
    return f"{method} {on:%Y-%m-%d}" + (f"（{tracking}）" if tracking else "")


def register_rows(db: Database, year: int | None = None, search: str = "", task_id: int | None = None,
                  kind: str = "") -> list[RegisterRow]:
    """The register in the order documents were issued; ``search`` matches number, subject, code or task."""
    query = (select(IssuedDocument.id, IssuedDocument.number_text, IssuedDocument.kind, Subject.name,
                    Subject.credit_code, Subject.registration_no, Task.number, Task.name, IssuedDocument.issued_at,
                    IssuedDocument.issued_by, Delivery.method, Delivery.delivered_on, Delivery.tracking_no,
                    IssuedDocument.voided_at, IssuedDocument.void_reason, IssuedDocument.inspection_id)
             .outerjoin(Inspection, Inspection.id == IssuedDocument.inspection_id)
             .outerjoin(Subject, Subject.id == Inspection.subject_id)
             .outerjoin(Task, Task.id == IssuedDocument.task_id)
             .outerjoin(Delivery, Delivery.document_id == IssuedDocument.id)
             .order_by(IssuedDocument.issued_at, IssuedDocument.id))
    if year is not None:
        query = query.where(IssuedDocument.year == year)
    if task_id is not None:
        query = query.where(IssuedDocument.task_id == task_id)
    if kind:
        query = query.where(IssuedDocument.kind == kind)
    text = search.strip()
    if text:
        like = f"%{text}%"
        query = query.where(or_(IssuedDocument.number_text.like(like), Subject.name.like(like),
                                Subject.credit_code.like(like), Subject.registration_no.like(like),
                                Task.number.like(like), Task.name.like(like)))
    with db.session() as session:
        rows = session.execute(query).all()
    return [RegisterRow(r[0], r[1], r[2], r[3] or "", (r[4] or r[5] or ""), r[6] or "", r[7] or "", r[8], r[9],
                        _delivery_text(r[10], r[11], r[12]), r[13] is not None, r[14], r[15]) for r in rows]


HEADERS = ("文号", "文书种类", "检查对象", "统一社会信用代码", "任务编号", "任务名称", "出具日期", "经办人",
           "送达情况", "状态")


def export_register(db: Database, year: int, out: str | os.PathLike, search: str = "") -> int:
    """Write the year's register to .xlsx; cells that would start a formula are kept as text."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"登记簿导出为 .xlsx 文件，请把文件名改为以 .xlsx 结尾：{out.name}")
    rows = register_rows(db, year, search)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年发文登记簿"
    sheet.append([f"{year}年发文登记簿"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r in rows:
        sheet.append([safe_cell(v) for v in (r.number, r.kind, r.subject, r.subject_code, r.task_number, r.task_name,
                                             f"{r.issued_at:%Y-%m-%d}", r.issued_by, r.delivery, r.status)])
    for letter, width in zip("ABCDEFGHIJ", (26, 14, 30, 22, 24, 36, 12, 10, 26, 24)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
    except OSError as exc:
        raise UserError(f"无法写入 {out}：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。") from exc
    return len(rows)
