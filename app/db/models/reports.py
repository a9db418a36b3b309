"""The narrative parts of the 月报表 (会议、文件、培训), entered by hand, and the reports registered as sent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
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


class ReportFiling(Base):
    """A report the clerk registered as sent (报送) to the county 双随机办: 月报表, 季度 or 全年落实情况."""

    __tablename__ = "report_filings"
    __table_args__ = (UniqueConstraint("kind", "department_id", "year", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # app.domain.report_deadlines.ReportKind
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[int] = mapped_column(Integer)  # month 1–12, quarter 1–3, 0 for the year
    filed_on: Mapped[date] = mapped_column(Date)
    filed_by: Mapped[str] = mapped_column(String(50))
