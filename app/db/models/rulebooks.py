"""一细则: the department's 工作细则 and the per-item 工作指引, both versioned."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Rulebook(Base):
    __tablename__ = "rulebooks"
    __table_args__ = (UniqueConstraint("department_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # 组织领导、抽取方法、检查流程、抽查方式、公示程序、信息共享、监管衔接、归档方式 …
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(50), default="")


class ItemGuide(Base):
    """工作指引 for one 抽查事项: 检查内容、检查方法、判定标准、后续处置."""

    __tablename__ = "item_guides"
    __table_args__ = (UniqueConstraint("check_item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(String(2000), default="")  # 检查内容
    method: Mapped[str] = mapped_column(String(2000), default="")  # 检查方法
    standard: Mapped[str] = mapped_column(String(2000), default="")  # 判定标准
    handling: Mapped[str] = mapped_column(String(2000), default="")  # 后续处置
    check_points: Mapped[list[str]] = mapped_column(JSON, default=list)  # feed the 检查表
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
