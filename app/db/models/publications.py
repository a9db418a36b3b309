"""公示 with deadlines in working days, and the office's own calendar corrections."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Publication(Base):
    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # 计划 / 任务 / 抽取名单 / 检查结果 / 行政处罚
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    counted_from: Mapped[date] = mapped_column(Date)  # the day the deadline counts from
    working_days: Mapped[int] = mapped_column(Integer)  # 10 / 20 / 7 …
    due_on: Mapped[date] = mapped_column(Date, index=True)
    published_on: Mapped[date | None] = mapped_column(Date)
    where: Mapped[str] = mapped_column(String(200), default="")  # 平台 / 网站 address
    note: Mapped[str] = mapped_column(Text, default="")


class CalendarDay(Base):
    """A day the office marks by hand when the holiday package is behind."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")
