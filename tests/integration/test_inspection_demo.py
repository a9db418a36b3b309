"""The sample county's finished work: two tasks drawn and inspected, a realistic mix of results."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from app.db.models import Draw, Task
from app.services.demo import county as demo
from app.services.inspection import records
from tests.actors import CLERK

TODAY = date(2026, 11, 23)


def test_demo_with_results_holds_two_inspected_tasks(database):
    demo.create_demo(database, CLERK, subjects=600, today=TODAY, with_results=True)
    tasks = records.tasks_with_inspections(database)
    assert len(tasks) == 2
    rows = [row for task in tasks for row in records.list_inspections(database, task.id)]
    assert len(rows) == 20
    results = Counter(row.result for row in rows)
    assert results["未发现问题"] >= 13 and results["发现问题已责令改正"] == 3
    assert results["通过登记的住所(经营场所)无法联系"] == 1
    assert sum(1 for row in rows if "移送相关部门" in row.handling) == 1
    assert sum(1 for row in rows if row.closed_on) == 1
    statuses = Counter(row.status for row in rows)
    assert statuses == {"审核通过": 15, "待审核": 2, "退回": 1, "已录入": 2}
    with database.session() as session:
        for task in session.scalars(select(Task).where(Task.id.in_([t.id for t in tasks]))):
            assert task.ends_on < TODAY
            drawn = session.scalars(select(Draw).where(Draw.task_id == task.id)).one()
            assert drawn.revealed_at.date() == task.starts_on  # drawn that morning, not today
    assert all(row.inspected_on and row.inspected_on < TODAY for row in rows)
    # the three tasks ready to draw are still there, undrawn
    with database.session() as session:
        assert session.scalar(select(Task.id).where(Task.name.contains("食品销售经营者"))) not in {t.id for t in tasks}
