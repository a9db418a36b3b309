"""一单: the 随机抽查事项清单 and its adjustment history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, Timestamped


class CheckItem(Timestamped, Base):
    __tablename__ = "check_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identity across re-imports: a hash of the list and the item's key (编制单位, 抽查类别,
    # 抽查事项, 检查对象, 发起部门).
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)
    list_name: Mapped[str] = mapped_column(String(100), default="")  # which published list
    compiler: Mapped[str] = mapped_column(String(200), index=True)  # 编制单位
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    seq: Mapped[str] = mapped_column(String(50), default="")  # 序号 as published
    category: Mapped[str] = mapped_column(Text, default="")  # 抽查类别
    name: Mapped[str] = mapped_column(Text)  # 抽查事项
    target: Mapped[str] = mapped_column(Text, default="")  # 检查对象
    item_class: Mapped[str] = mapped_column(String(50), default="")  # 重点/一般检查事项
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)  # 检查方式, as a set
    methods_text: Mapped[str] = mapped_column(Text, default="")  # 检查方式 as published
    inspecting_body: Mapped[str] = mapped_column(Text, default="")  # 检查主体
    legal_basis: Mapped[str] = mapped_column(Text, default="")  # 检查依据
    lead_departments: Mapped[str] = mapped_column(Text, default="")  # 联合抽查: 发起部门
    partner_departments: Mapped[str] = mapped_column(Text, default="")  # 联合抽查: 配合部门
    ratio_text: Mapped[str] = mapped_column(Text, default="")  # 抽查比例
    frequency_text: Mapped[str] = mapped_column(Text, default="")  # 频次
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    changes: Mapped[list["CheckItemChange"]] = relationship(
        back_populates="item", order_by="CheckItemChange.id", cascade="all, delete-orphan"
    )


class CheckItemChange(Base):
    """One entry of the 动态调整 history: date, what changed, why."""

    __tablename__ = "check_item_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    action: Mapped[str] = mapped_column(String(10))  # 新增 / 修改 / 停用 / 启用
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> [old, new]
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(50), default="")
    change_count: Mapped[int] = mapped_column(Integer, default=0)

    item: Mapped[CheckItem] = relationship(back_populates="changes")
