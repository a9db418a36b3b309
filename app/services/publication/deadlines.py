"""Deadlines of the items not yet published follow the calendar and the rules as they are
now; a published item keeps the deadline it was published against."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.models import Publication
from app.domain.workdays import WorkdayCalendar
from app.services.publication.rules import load_rules


def recompute_deadlines(session: Session, calendar: WorkdayCalendar) -> int:
    """Recount every unpublished item's due date; returns how many moved."""
    rules = load_rules(session)
    session.flush()
    changes = []
    rows = session.execute(select(Publication.id, Publication.kind, Publication.counted_from, Publication.working_days,
                                  Publication.due_on).where(Publication.published_on.is_(None)))
    for pid, kind, counted_from, working_days, due_on in rows:
        days = rules.days(kind)
        due = calendar.add_working_days(counted_from, days).due
        if (working_days, due_on) != (days, due):
            changes.append({"id": pid, "working_days": days, "due_on": due})
    if changes:  # by primary key, in one executemany; loaded objects are refreshed on next access
        session.execute(update(Publication), changes)
        session.expire_all()
    return len(changes)
