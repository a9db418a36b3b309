"""Issued documents with their numbering, and the serial counters behind numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, func
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
    __table_args__ = (UniqueConstraint("kind", "department_id", "year", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # 检查结果告知书 / 抽取过程记录 / …
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number_text: Mapped[str] = mapped_column(String(100))  # as printed
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    file_name: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
