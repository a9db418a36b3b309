"""公示 with deadlines in working days, the office's calendar corrections and the year
arrangements it entered by hand when the holiday package is behind."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Publication(Base):
    """One item that must be published, created automatically from what it publishes.

    ``source_key`` names that source ("检查结果:42") so two PCs creating the same item at
    once collide on the unique index instead of making two.
    """

    __tablename__ = "publications"
    __table_args__ = (Index("ix_publications_kind_published_on", "kind", "published_on", "where"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # app.domain.publication.PublicationKind
    source_key: Mapped[str] = mapped_column(String(60), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    counted_from: Mapped[date] = mapped_column(Date)  # the day the deadline counts from
    working_days: Mapped[int] = mapped_column(Integer)  # 10 / 20 / 7 …
    due_on: Mapped[date] = mapped_column(Date, index=True)
    published_on: Mapped[date | None] = mapped_column(Date)
    where: Mapped[str] = mapped_column(String(200), default="")  # 平台 / 网站 address
    published_by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class CalendarDay(Base):
    """A day the office marks by hand: it wins over the package and any arrangement."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")


class HolidayArrangement(Base):
    """A year's 节假日安排 from the State Council's notice, entered by an administrator.

    ``holidays``: [{"name": "春节", "first": "2027-02-06", "last": "2027-02-14"}, …];
    ``makeup_days``: ["2027-01-31", …] (调休上班的周六、周日).
    """

    __tablename__ = "holiday_arrangements"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    makeup_days: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(200), default="")  # 国务院办公厅通知文号
    entered_by: Mapped[str] = mapped_column(String(100), default="")
    entered_on: Mapped[date] = mapped_column(Date)
