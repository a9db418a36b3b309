"""年度抽查计划 and 抽查任务 (joint tasks: one 发起部门 and several 参与部门)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.statuses import PlanStatus
from app.db.models.base import Base, Timestamped
from app.db.models.catalogue import CheckItem
from app.db.models.organisation import Department

task_items = Table(
    "task_items",
    Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("check_item_id", ForeignKey("check_items.id"), primary_key=True, index=True),
)

task_participants = Table(
    "task_participants",
    Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)


class Plan(Timestamped, Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))  # NULL: 联合计划
    joint: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default=PlanStatus.DRAFT)
    approved_on: Mapped[date | None] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date)  # 备案
    published_on: Mapped[date | None] = mapped_column(Date)  # 公示
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str] = mapped_column(String(50), default="")  # username: may not approve (four-eyes)
    approved_by: Mapped[str] = mapped_column(String(50), default="")  # the reviewer's real name

    tasks: Mapped[list["Task"]] = relationship(back_populates="plan", order_by="Task.id")


class Task(Timestamped, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("team_size >= 2", name="team_size_at_least_two"),
        CheckConstraint(
            "(quota_count IS NULL) <> (ratio_numerator IS NULL)", name="count_or_ratio"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100), default="")  # X市监抽查〔2026〕3号
    initiating_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    # 检查对象范围: a filter over 库1 (types, regions, industries, tags, risk classes, flags).
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    quota_count: Mapped[int | None] = mapped_column(Integer)  # 抽查数量
    ratio_numerator: Mapped[int | None] = mapped_column(Integer)  # 抽查比例 = numerator/denominator
    ratio_denominator: Mapped[int | None] = mapped_column(Integer)
    stratify_by: Mapped[str] = mapped_column(String(20), default="")  # "" / region / risk_class
    stratum_quotas: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)  # 检查方式
    team_size: Mapped[int] = mapped_column(Integer, default=2)  # 每组人数 (≥2)
    needs_expert: Mapped[bool] = mapped_column(Boolean, default=False)
    surprise: Mapped[bool] = mapped_column(Boolean, default=False)  # 突击检查
    team_mode: Mapped[str] = mapped_column(String(20), default="per_subject")  # or teams_first
    team_count: Mapped[int] = mapped_column(Integer, default=0)  # 先抽检查组：组数 (teams_first only)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    initiating_department: Mapped[Department] = relationship()
    participants: Mapped[list[Department]] = relationship(secondary=task_participants)
    items: Mapped[list[CheckItem]] = relationship(secondary=task_items)

    @property
    def joint(self) -> bool:
        return bool(self.participants)

