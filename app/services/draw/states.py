"""Where each task's draw stands: read by the 概览 page at start, the draw page and `tasks list`.

Kept apart from the ceremony, whose imports (the draw engine, the results and their
documents) the first screen does not need (benchmarks/bench_startup.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db.models import Draw, Plan, Task
from app.db.session import Database
from app.domain.statuses import DRAW_UNFINISHED, DrawStatus, TaskDrawStatus


@dataclass(frozen=True)
class TaskDrawState:
    id: int
    name: str
    number: str
    year: int
    drawn: bool  # revealed: final
    draw_status: str  # "" when never started

    @property
    def phase(self) -> str:
        """未抽取, 抽取中 (started, not finished: resume it) or 已抽取."""
        if not self.draw_status:
            return TaskDrawStatus.NOT_DRAWN
        return TaskDrawStatus.DRAWN if self.draw_status == DrawStatus.FINISHED else TaskDrawStatus.DRAWING


def unfinished_draws(db: Database) -> list[TaskDrawState]:
    """Tasks whose draw stopped half-way (a power cut, the program closed): shown first thing at start."""
    return [s for s in task_draw_states(db) if s.draw_status in DRAW_UNFINISHED]


def task_draw_states(db: Database) -> list[TaskDrawState]:
    """Every task with where its draw stands (for `tasks list` and the draw page)."""
    with db.session() as session:
        live = {d.task_id: d for d in session.execute(select(Draw.task_id, Draw.status, Draw.revealed_at)
                                                      .where(Draw.status != DrawStatus.ABANDONED))}
        rows = session.execute(select(Task.id, Task.name, Task.number, Plan.year).join(Plan)
                               .order_by(Plan.year.desc(), Task.id)).all()
        return [TaskDrawState(r.id, r.name, r.number, r.year, r.id in live and live[r.id].revealed_at is not None,
                              live[r.id].status if r.id in live else "") for r in rows]
