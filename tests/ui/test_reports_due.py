"""The 概览 page's 报表报送 list: a report past the 20th is red, and 登记已报送 takes it off."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import update

from app.db.models import Draw
from app.domain.publication import PublicationState
from app.paths import resources_dir
from app.services.demo import county as demo
from app.ui.context import AppContext
from app.ui.reports.due_panel import FiledDialog
from tests.actors import CLERK
from tests.ui.test_publication_pages import SCREEN
from tests.ui.waiting import settle

TODAY = date(2026, 11, 23)


@pytest.fixture
def window(qtbot, sqlite_database):
    from app.ui.main_window import MainWindow

    demo.create_demo(sqlite_database, CLERK, subjects=300, today=TODAY, with_publications=True)
    with sqlite_database.session() as session:
        session.execute(update(Draw).where(Draw.finished_at.is_not(None)).values(finished_at=datetime(2026, 10, 14, 9)))
    main = MainWindow(AppContext(db=sqlite_database, actor=CLERK, demo=True))
    main.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))
    qtbot.addWidget(main)
    main.resize(*SCREEN)
    main.show()
    return main


def test_registering_the_october_report_as_sent(qtbot, window, shots, monkeypatch):
    page = window.open_page("概览")
    panel = page.reports_due
    page.deadlines.setCurrentWidget(panel)
    panel.today = TODAY
    panel.refresh()
    qtbot.waitUntil(lambda: panel.table.rowCount() and panel.table.item(0, 0).text() == "已逾期·3 天", timeout=10_000)
    october = panel.items[0]
    assert october.state is PublicationState.OVERDUE
    assert [i.period.label for i in panel.items] == ["2026年10月月报表", "2026年全年落实情况", "2026年11月月报表"]
    assert panel.table.item(0, 3).text() == "、".join(name for _, name in october.departments)
    assert panel.summary.text() == "已逾期 1 份，近一个月内到期 2 份。"
    assert page.deadlines.tabText(1) == "报表报送（已逾期 1）"  # seen from the 公示 tab too
    settle()
    assert window.grab().save(str(shots / "overview-reports-due.png"))

    def clerk_ticks_every_department(dialog: FiledDialog) -> int:
        for box in dialog.boxes:
            box.setChecked(True)
        return 1

    monkeypatch.setattr(FiledDialog, "exec", clerk_ticks_every_department)
    button = panel.table.cellWidget(0, 4).findChild(QPushButton)
    assert button.text() == "登记已报送…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(panel.items) and panel.items[0].period.label != "2026年10月月报表", timeout=10_000)
    assert panel.summary.text() == "已逾期 0 份，近一个月内到期 2 份。" and page.deadlines.tabText(1) == "报表报送"
