"""库1: 检查对象名录库, its tags, and departments' 专用名录 (saved filters)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, String, Table, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, Timestamped

subject_tags = Table(
    "subject_tags",
    Base.metadata,
    Column("subject_id", ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    """A free label: 行业、领域、种类 …"""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)


class Subject(Timestamped, Base):
    __tablename__ = "subjects"
    __table_args__ = (
        Index("ix_subjects_region_industry", "region", "industry"),
        Index("ix_subjects_risk_region", "risk_class", "region"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    registration_no: Mapped[str | None] = mapped_column(String(20), unique=True)  # 注册号（个体户）
    name: Mapped[str] = mapped_column(String(300), index=True)
    subject_type: Mapped[str] = mapped_column(String(50), default="", index=True)  # 主体类型
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(String(50), default="")  # 所属区域（乡镇/街道）
    industry: Mapped[str] = mapped_column(String(100), default="", index=True)  # GB/T 4754
    registration_status: Mapped[str] = mapped_column(String(20), default="存续")
    established_on: Mapped[date | None] = mapped_column(Date)
    registration_authority: Mapped[str] = mapped_column(String(100), default="")
    risk_class: Mapped[str] = mapped_column(String(1), default="")  # A/B/C/D = 低/一般/较高/高
    abnormal_operation: Mapped[bool] = mapped_column(Boolean, default=False)  # 经营异常名录
    serious_violation: Mapped[bool] = mapped_column(Boolean, default=False)  # 严重违法失信
    key_supervision: Mapped[bool] = mapped_column(Boolean, default=False)  # 重点监管对象

    tags: Mapped[list[Tag]] = relationship(secondary=subject_tags)

    @property
    def identifier(self) -> str:
        """The stable real-world ID used by the draw: credit code, else 注册号."""
        return self.credit_code or self.registration_no or ""


class SavedFilter(Base):
    """A department's 专用名录: a named filter over the 通用名录."""

    __tablename__ = "saved_filters"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
