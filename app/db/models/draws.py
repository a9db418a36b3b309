"""抽取: a witnessed draw, its committed steps, and the teams it produced.

The engine's state lives in ``Draw.state`` (JSON from ``app.domain.draw``);
each ceremony step is also appended to ``draw_steps`` before it is shown, so a
crash at any step resumes from the last committed one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base
from app.domain.statuses import DrawStatus

class Draw(Base):
    __tablename__ = "draws"
    __table_args__ = (
        # At most one live (not abandoned) draw per task: the database itself decides
        # which of two PCs starting the same draw proceeds.
        Index(
            "uq_draws_task_live",
            "task_id",
            unique=True,
            sqlite_where=text(f"status <> '{DrawStatus.ABANDONED}'"),
            postgresql_where=text(f"status <> '{DrawStatus.ABANDONED}'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    protocol_version: Mapped[str] = mapped_column(String(50))
    # 准备 / 见证人录入 / 已揭示 / 已抽取对象 / 已匹配人员 / 已完成 / 已放弃
    status: Mapped[str] = mapped_column(String(10))
    holder: Mapped[str] = mapped_column(String(100), default="")  # who runs it (user @ PC)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    seed_hex: Mapped[str] = mapped_column(String(64), default="")
    abandon_reason: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    revealed_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    steps: Mapped[list["DrawStep"]] = relationship(
        back_populates="draw", order_by="DrawStep.seq", cascade="all, delete-orphan"
    )
    teams: Mapped[list["Team"]] = relationship(back_populates="draw", order_by="Team.number")


class DrawStep(Base):
    __tablename__ = "draw_steps"
    __table_args__ = (UniqueConstraint("draw_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    draw: Mapped[Draw] = relationship(back_populates="steps")


class Team(Base):
    """检查组 (≥2 people, one 组长)."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("draw_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"))

    draw: Mapped[Draw] = relationship(back_populates="teams")
    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="TeamMember.id"
    )


class TeamMember(Base):
    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "inspector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    replaced_reason: Mapped[str] = mapped_column(Text, default="")  # set when swapped out

    team: Mapped[Team] = relationship(back_populates="members")
