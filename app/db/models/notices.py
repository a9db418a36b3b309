"""送达 of issued documents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Delivery(Base):
    """How and when an issued document reached its addressee (one record per document)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_documents.id"), unique=True)
    method: Mapped[str] = mapped_column(String(10))  # app.domain.notices.DeliveryMethod
    delivered_on: Mapped[date] = mapped_column(Date)
    tracking_no: Mapped[str] = mapped_column(String(60), default="")  # 邮寄: 邮件号
    recipient: Mapped[str] = mapped_column(String(100), default="")  # 受送达人 / 代收人
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(50), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
