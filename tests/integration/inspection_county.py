"""The sample county with its first task drawn: what the inspection tests start from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.db.models import Task
from app.db.session import Database
from app.services.demo import county as demo
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from tests.actors import CLERK

TODAY = date(2026, 11, 23)
WITNESSES = [Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"), Witness("李代表", "县人大代表", "00098765432")]


def demo_county(db: Database, subjects: int = 400) -> None:
    demo.create_demo(db, CLERK, subjects=subjects, today=TODAY)


def task_named(db: Database, fragment: str) -> int:
    with db.session() as session:
        return session.scalars(select(Task.id).where(Task.name.contains(fragment))).one()


def draw_task(db: Database, task_id: int, folder) -> draws.DrawView:
    view, _ = draws.run_draw(db, CLERK, task_id, WITNESSES, "", folder, today=TODAY)
    return view
