"""Deadlines of the items not yet published follow the calendar and the rules as they are
now; a published item keeps the deadline it was published against."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Publication
from app.domain.workdays import WorkdayCalendar
from app.services.publication.rules import load_rules


def recompute_deadlines(session: Session, calendar: WorkdayCalendar) -> int:
    """Recount every unpublished item's due date; returns how many moved."""
    rules = load_rules(session)
    moved = 0
    for row in session.scalars(select(Publication).where(Publication.published_on.is_(None))):
        days = rules.days(row.kind)
        due = calendar.add_working_days(row.counted_from, days).due
        if (row.working_days, row.due_on) != (days, due):
            row.working_days, row.due_on = days, due
            moved += 1
    return moved
