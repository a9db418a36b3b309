"""The reports owed to the county 双随机办: listed from the first completed draw, gone once registered as sent."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select, update

from app.db.models import AuditEntry, Department, Draw, Task
from app.domain.publication import PublicationState
from app.domain.report_deadlines import ReportKind
from app.cli import run_cli
from app.services.accounts import NotPermitted, users
from app.services.errors import UserError
from app.services.reports import deadlines
from tests.actors import CLERK, READER, log_in_cli_as
from tests.integration.inspection_county import draw_task, task_named


@pytest.fixture
def county(demo_county, tmp_path):
    db = demo_county(CLERK, subjects=400)
    task_id = task_named(db, "食品销售经营者")
    draw_task(db, task_id, tmp_path / "包")
    with db.session() as session:
        session.execute(update(Draw).values(finished_at=datetime(2026, 10, 14, 9, 30)))
        department = session.scalar(select(Department.name).join(Task, Task.initiating_department_id == Department.id)
                                    .where(Task.id == task_id))
    return db, department


def _lines(db, today):
    return {(d.period.label, d.period.due_on, d.state, tuple(n for _, n in d.departments))
            for d in deadlines.reports_due(db, today)}


def test_nothing_is_owed_before_a_first_draw(demo_county):
    assert deadlines.reports_due(demo_county(CLERK, subjects=400), date(2026, 11, 29)) == []


def test_reports_owed_from_the_month_of_the_first_draw(county):
    db, department = county
    assert _lines(db, date(2026, 11, 20)) == {
        ("2026年10月月报表", date(2026, 11, 20), PublicationState.DUE_SOON, (department,)),
        ("2026年11月月报表", date(2026, 12, 20), PublicationState.UPCOMING, (department,)),
        ("2026年全年落实情况", date(2026, 12, 20), PublicationState.UPCOMING, (department,)),
    }
    overdue = deadlines.reports_due(db, date(2026, 11, 23))[0]
    assert overdue.period.label == "2026年10月月报表" and overdue.state_text == "已逾期·3 天"


def test_registering_a_report_as_sent_takes_it_off_the_list_and_is_audited(county):
    db, department = county
    due = deadlines.reports_due(db, date(2026, 11, 23))[0]
    ids = [i for i, _ in due.departments]
    assert deadlines.mark_filed(db, CLERK, ReportKind.MONTHLY, 2026, 10, ids, date(2026, 11, 21),
                                today=date(2026, 11, 23)) == 1
    assert "2026年10月月报表" not in {d.period.label for d in deadlines.reports_due(db, date(2026, 11, 23))}
    with db.session() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert entry.action == "登记报表已报送" and department in str(entry.details)
    with pytest.raises(UserError, match="已登记为已报送"):
        deadlines.mark_filed(db, CLERK, ReportKind.MONTHLY, 2026, 10, ids, date(2026, 11, 21),
                             today=date(2026, 11, 23))


def test_a_sending_date_in_the_future_or_no_department_is_refused(county):
    db, _ = county
    ids = [i for i, _ in deadlines.reports_due(db, date(2026, 11, 23))[0].departments]
    with pytest.raises(UserError, match="晚于今天"):
        deadlines.mark_filed(db, CLERK, ReportKind.MONTHLY, 2026, 10, ids, date(2026, 11, 24), today=date(2026, 11, 23))
    with pytest.raises(UserError, match="请选择"):
        deadlines.mark_filed(db, CLERK, ReportKind.MONTHLY, 2026, 10, [], date(2026, 11, 20), today=date(2026, 11, 23))


def test_a_reader_cannot_register_a_report(county):
    db, _ = county
    ids = [i for i, _ in deadlines.reports_due(db, date(2026, 11, 23))[0].departments]
    with pytest.raises(NotPermitted):
        deadlines.mark_filed(db, READER, ReportKind.MONTHLY, 2026, 10, ids, date(2026, 11, 20), today=date(2026, 11, 23))


def test_the_command_line_lists_and_registers_reports(county, capsys, monkeypatch):
    db, department = county
    if not users.has_accounts(db):
        users.create_demo_accounts(db)
    log_in_cli_as(monkeypatch)
    assert run_cli(["--db", db.url, "report", "due", "--json", "--today", "2026-11-23"]) == 0
    owed = json.loads(capsys.readouterr().out)
    assert owed[0] == {"kind": "月报表", "year": 2026, "period": 10, "label": "2026年10月月报表",
                       "due_on": "2026-11-20", "state": "已逾期", "days_left": -3, "departments": [department]}
    assert run_cli(["--db", db.url, "report", "filed", "--kind", "月报表", "--year", "2026", "--period", "10",
                    "--department", department, "--on", "2026-11-19"]) == 0
    assert "已登记 1 个部门的月报表" in capsys.readouterr().out
    assert "2026年10月月报表" not in {d.period.label for d in deadlines.reports_due(db, date(2026, 11, 23))}
    assert run_cli(["--db", db.url, "report", "filed", "--kind", "季度总结", "--year", "2026", "--period", "4",
                    "--department", department]) == 2
    assert "季度 1–3" in capsys.readouterr().err
