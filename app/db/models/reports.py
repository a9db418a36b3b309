"""The narrative parts of the 月报表 (会议、文件、培训), entered by hand."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class MonthlyNarrative(Base):
    __tablename__ = "monthly_narratives"
    __table_args__ = (UniqueConstraint("department_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    meetings: Mapped[str] = mapped_column(Text, default="")  # 召开会议情况
    documents: Mapped[str] = mapped_column(Text, default="")  # 印发文件情况
    trainings: Mapped[str] = mapped_column(Text, default="")  # 组织培训情况
    other: Mapped[str] = mapped_column(Text, default="")
