"""A task's earlier attempts: every abandoned draw, which each new attempt commits to (attempts.tsv)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.statuses import DrawStatus
from app.db.models import Draw
from app.domain import draw


def abandoned_attempts(session: Session, task_id: int) -> list[tuple[int, draw.Attempt]]:
    """The task's abandoned draws, oldest first, as the attempts a new draw commits to.

    Both times come from the database's clock (started_at, and the abandon's now()), so they
    compare; a draw abandoned by an older version, with no time of its own, shows its start."""
    out = []
    for row in session.scalars(select(Draw).where(Draw.task_id == task_id, Draw.status == DrawStatus.ABANDONED)
                               .order_by(Draw.id)):
        engine = row.state.get("engine", {})
        gone = row.state.get("abandoned") or {}
        started = f"{row.started_at:%Y-%m-%dT%H:%M:%S}"
        out.append((row.id, draw.Attempt(
            started=started, holder=row.holder or "（未记录）",
            stage="witnessed" if engine.get("witnesses") else "prepared",
            commitment=engine.get("commitments", {}).get("secret_commitment", ""),
            abandoned=max(gone.get("at", started), started), abandoned_by=gone.get("by") or row.holder or "（未记录）",
            reason=row.abandon_reason or "（未记录）")))
    return out
