"""库2: 执法检查人员名录库 (and 专家名录库): people, certificates, status periods, 回避."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, Timestamped
from app.domain.eligibility import ENFORCEMENT_CERTIFICATE
from app.db.models.organisation import Department


class Inspector(Timestamped, Base):
    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    office: Mapped[str] = mapped_column(String(50), default="")  # 科室
    position: Mapped[str] = mapped_column(String(50), default="")  # 职务
    # 行政执法类公务员 / 具有执法资格的事业编 / 从事日常监管的聘用人员 / 专家
    category: Mapped[str] = mapped_column(String(30), default="行政执法类公务员")
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)  # 执法资质
    specialities: Mapped[list[str]] = mapped_column(JSON, default=list)  # 业务专长
    can_lead: Mapped[bool] = mapped_column(Boolean, default=False)  # 可任组长
    phone: Mapped[str] = mapped_column(String(50), default="")

    department: Mapped[Department | None] = relationship()
    certificates: Mapped[list["Certificate"]] = relationship(
        back_populates="inspector", cascade="all, delete-orphan", order_by="Certificate.id"
    )
    status_periods: Mapped[list["StatusPeriod"]] = relationship(
        back_populates="inspector", cascade="all, delete-orphan", order_by="StatusPeriod.starts_on"
    )
    conflicts: Mapped[list["Conflict"]] = relationship(
        back_populates="inspector",
        cascade="all, delete-orphan",
        foreign_keys="Conflict.inspector_id",
    )

    @property
    def is_expert(self) -> bool:
        return self.category == "专家"

    @property
    def enforcement_certificate(self) -> "Certificate | None":
        """The 行政执法证 that makes this person an 执法检查人员 (experts hold none)."""
        return next((c for c in self.certificates if c.kind == ENFORCEMENT_CERTIFICATE), None)


class Certificate(Base):
    """A 行政执法证 (or an expert's qualification) with its validity."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(50), unique=True)  # 执法证号
    kind: Mapped[str] = mapped_column(String(30), default="行政执法证")
    issuer: Mapped[str] = mapped_column(String(100), default="")
    expires_on: Mapped[date | None] = mapped_column(Date)

    inspector: Mapped[Inspector] = relationship(back_populates="certificates")


class StatusPeriod(Base):
    """A period when an inspector is not 在岗: 请假, 借调, 调离."""

    __tablename__ = "status_periods"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))  # 请假 / 借调 / 调离
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # open-ended when NULL
    note: Mapped[str] = mapped_column(Text, default="")

    inspector: Mapped[Inspector] = relationship(back_populates="status_periods")


class Conflict(Base):
    """A declared 回避 relation: with a subject, a whole region, or another person."""

    __tablename__ = "conflicts"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN subject_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN region IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN other_inspector_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    region: Mapped[str | None] = mapped_column(String(50))
    other_inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_on: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    inspector: Mapped[Inspector] = relationship(back_populates="conflicts", foreign_keys=[inspector_id])
