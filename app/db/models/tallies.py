"""Counts kept by database triggers (migration 0008), never written by the program.

Statistics, the 月报表 and the yearly cap read these instead of counting a year's inspections
at every look. The triggers on inspections and publications keep them exact whichever code
writes; a replaced (已替换) inspection counts nowhere.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class InspectionTally(Base):
    """Inspections of one draw with one 检查结果 as printed (未录入 before entry) in one region."""

    __tablename__ = "inspection_tallies"

    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"), primary_key=True)
    category: Mapped[str] = mapped_column(Text, primary_key=True)
    region: Mapped[str] = mapped_column(String(100), primary_key=True)  # "" when the subject had none
    drawn: Mapped[int] = mapped_column(Integer, server_default="0")
    inspected: Mapped[int] = mapped_column(Integer, server_default="0")
    problems: Mapped[int] = mapped_column(Integer, server_default="0")
    follow_ups: Mapped[int] = mapped_column(Integer, server_default="0")
    closed: Mapped[int] = mapped_column(Integer, server_default="0")
    handed: Mapped[int] = mapped_column(Integer, server_default="0")
    published: Mapped[int] = mapped_column(Integer, server_default="0")  # 检查结果 公示 with a publication date


class SubjectYearDraws(Base):
    """How often a subject was drawn in the plans of one year."""

    __tablename__ = "subject_year_draws"
    __table_args__ = (Index("ix_subject_year_draws_year_times", "year", "times"),)

    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    times: Mapped[int] = mapped_column(Integer, server_default="0")


#: Tables only the triggers write: left out of data archives, made again by loading the rows they count.
TRIGGER_KEPT_TABLES = (InspectionTally.__tablename__, SubjectYearDraws.__tablename__)
