"""Issued documents with their numbering, and the serial counters behind numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class SerialCounter(Base):
    """Last serial used per (kind, department, year): task 编号, 告知书 文号 …

    Incremented inside the caller's transaction, so two PCs never get the same number.
    """

    __tablename__ = "serial_counters"
    __table_args__ = (UniqueConstraint("kind", "department_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int] = mapped_column(Integer)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class IssuedDocument(Base):
    __tablename__ = "issued_documents"
    __table_args__ = (
        UniqueConstraint("kind", "department_id", "year", "serial"),
        # one notice in force per inspection: a second PC issuing the same one fails, not duplicates
        Index("uq_issued_documents_live", "kind", "inspection_id", unique=True,
              sqlite_where=text("voided_at IS NULL AND inspection_id IS NOT NULL"),
              postgresql_where=text("voided_at IS NULL AND inspection_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # 检查结果告知书 / 抽取过程记录 / …
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number_text: Mapped[str] = mapped_column(String(100))  # as printed
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    file_name: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")  # of the issued file (content)
    issued_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # revision 0007 (notices): what was issued, by whom, and its 作废
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("draws.id"))  # 抽取过程记录
    text_sha256: Mapped[str] = mapped_column(String(64), default="")  # of the notice's text, printed in the QR
    qr_text: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # the issued .docx, seen by every PC
    issued_by: Mapped[str] = mapped_column(String(50), default="")
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str] = mapped_column(String(50), default="")
    void_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))
