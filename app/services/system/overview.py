"""The numbers on the 概览 page: what the county's data holds today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.db.models import CheckItem, Department, Inspection, Inspector, Plan, Subject, Task
from app.db.session import Database
from app.services.system.audit import ChainReport, head, verify_chain


@dataclass(frozen=True)
class Overview:
    departments: int
    check_items: int
    enabled_items: int
    subjects: int
    high_risk_subjects: int
    inspectors: int
    plans_this_year: int
    tasks_this_year: int
    inspections_this_year: int


def overview(db: Database, today: date | None = None) -> Overview:
    year = (today or date.today()).year

    def count(session, stmt) -> int:
        return session.scalar(stmt) or 0

    with db.session() as s:
        return Overview(
            departments=count(s, select(func.count()).select_from(Department).where(Department.active)),
            check_items=count(s, select(func.count()).select_from(CheckItem)),
            enabled_items=count(s, select(func.count()).select_from(CheckItem).where(CheckItem.enabled)),
            subjects=count(s, select(func.count()).select_from(Subject)),
            high_risk_subjects=count(
                s, select(func.count()).select_from(Subject).where(Subject.risk_class.in_(("C", "D")))
            ),
            inspectors=count(s, select(func.count()).select_from(Inspector)),
            plans_this_year=count(s, select(func.count()).select_from(Plan).where(Plan.year == year)),
            tasks_this_year=count(
                s, select(func.count()).select_from(Task).join(Plan).where(Plan.year == year)
            ),
            inspections_this_year=count(
                s,
                select(func.count())
                .select_from(Inspection)
                .join(Task)
                .join(Plan)
                .where(Plan.year == year),
            ),
        )


def audit_status(db: Database, head: str | None = None) -> ChainReport:
    """The chain checked by itself and, given a head written down earlier, against it."""
    with db.session() as session:
        return verify_chain(session, head)


def audit_head(db: Database) -> str:
    """``SEQ:HASH`` of the last audit entry: what to write down to anchor the log."""
    with db.session() as session:
        return head(session)
