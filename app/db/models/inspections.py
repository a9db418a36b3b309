"""检查实施: one inspection per drawn subject, its per-item results and its evidence files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, Timestamped
from app.db.models.subjects import Subject


class Inspection(Timestamped, Base):
    __tablename__ = "inspections"
    __table_args__ = (UniqueConstraint("draw_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    region: Mapped[str] = mapped_column(String(100), server_default="")  # the subject's region when drawn
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    draw_rank: Mapped[int] = mapped_column(Integer)  # position in the draw's own order
    status: Mapped[str] = mapped_column(String(10), default="待检查", index=True)  # app.domain.inspection.InspectionStatus
    replaced_reason: Mapped[str] = mapped_column(Text, default="")
    inspected_on: Mapped[date | None] = mapped_column(Date)
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)  # 核查方式 (several)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)  # 检查结果 (a set of categories)
    result_category: Mapped[str] = mapped_column(Text, default="")  # 检查结果 as printed: categories joined by 、
    follow_ups: Mapped[list[str]] = mapped_column(JSON, default=list)  # 后续处置 (several)
    handling: Mapped[str] = mapped_column(Text, default="")  # 后续处置 as printed: follow_ups joined by 、
    rectify_by: Mapped[date | None] = mapped_column(Date)  # 整改期限
    handed_to: Mapped[str] = mapped_column(String(100), default="")  # 移送部门
    handed_on: Mapped[date | None] = mapped_column(Date)
    copied_to: Mapped[str] = mapped_column(String(100), default="")  # 抄告部门
    closed_on: Mapped[date | None] = mapped_column(Date)  # 后续处置完结
    note: Mapped[str] = mapped_column(Text, default="")
    # review (four-eyes): usernames of who entered, submitted and reviewed the result
    entered_by: Mapped[str] = mapped_column(String(50), default="")
    entered_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str] = mapped_column(String(50), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[str] = mapped_column(String(50), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_reason: Mapped[str] = mapped_column(Text, default="")

    subject: Mapped[Subject] = relationship()
    results: Mapped[list["ItemResult"]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="ItemResult.id"
    )


class ItemResult(Base):
    __tablename__ = "item_results"
    __table_args__ = (UniqueConstraint("inspection_id", "check_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    check_item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id"))
    finding: Mapped[str] = mapped_column(Text, default="")  # 发现问题情况
    result_category: Mapped[str] = mapped_column(String(50), default="")
    handling: Mapped[str] = mapped_column(Text, default="")  # 处置情况

    inspection: Mapped[Inspection] = relationship(back_populates="results")


class InspectionAttachment(Base):
    """A photo or scan kept with an inspection, stored in the database so every PC sees it."""

    __tablename__ = "inspection_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(50), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
