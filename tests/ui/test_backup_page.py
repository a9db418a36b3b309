"""备份与恢复 as the admin uses it: 立即备份, restore with a confirmation and a report, the
PostgreSQL note; and the screenshot at 1366×768."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from tests.actors import ADMIN
from app.services.backup import sqlite_backup
from app.ui.backup.backup_page import BackupPage
from app.ui.context import AppContext
from tests.integration.backup_data import add_subjects, subject_count

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def said(monkeypatch) -> list[str]:
    """What the page tells the admin in its message boxes (answering 是 to every question)."""
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: messages.append(f"{title}：{text}"))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text: messages.append(f"{title}：{text}") or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: messages.append(
        f"{box.windowTitle()}：{box.text()}\n{box.detailedText()}"))
    return messages


def test_back_up_now_then_restore_with_confirmation_and_report(qtbot, context, said):
    add_subjects(context.db, 0, 40)
    page = BackupPage(context)
    qtbot.addWidget(page)
    page.refresh()
    assert page.table.rowCount() == 0 and not page.restore_button.isEnabled()

    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    assert said[-1].startswith("备份完成：已备份到") and "40 户" in said[-1]
    assert page.table.item(0, 1).text() == "手动" and page.table.item(0, 3).text() == "40"

    add_subjects(context.db, 40, 5)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: said[-1].startswith("恢复完成"), timeout=30_000)
    confirmation = said[-2]
    assert confirmation.startswith("确认恢复") and "检查对象 40" in confirmation and "恢复前" in confirmation
    assert "已恢复" in said[-1] and "检查对象：40" in said[-1]
    assert subject_count(context.db) == 40
    assert [page.table.item(r, 1).text() for r in range(page.table.rowCount())] == ["恢复前", "手动"]


def test_a_foreign_file_is_refused_with_a_chinese_dialog(qtbot, context, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("app.ui.tasks.show_error", lambda parent, exc, details="": shown.append(str(exc)))
    monkeypatch.setattr("app.ui.backup.backup_page.run_or_explain",
                        lambda parent, action: _explain(action, shown))
    page = BackupPage(context)
    qtbot.addWidget(page)
    stranger = tmp_path / "别人的文件.zip"
    stranger.write_bytes(b"not a zip at all")
    page.restore(stranger)
    assert shown and "不是本程序的备份文件" in shown[0]


def _explain(action, shown):
    from app.services.errors import UserError

    try:
        return True, action()
    except UserError as exc:
        shown.append(str(exc))
        return False, None


def test_on_postgresql_the_page_points_to_the_server_tools(qtbot, database):
    page = BackupPage(AppContext(db=database, actor=ADMIN))
    qtbot.addWidget(page)
    page.refresh()
    notes = [label.text() for label in page.findChildren(QLabel) if label.objectName() == "postgresNote"]
    if database.backend == "postgresql":
        assert notes and "pg_dump" in notes[0] and not hasattr(page, "table")
    else:
        assert not notes and page.table.columnCount() == 7


@pytest.fixture
def office_style(qapp):
    """The program's own font and style sheet, as a clerk sees the window (put back afterwards)."""
    from app.ui.app import make_application

    font, sheet = qapp.font(), qapp.styleSheet()
    make_application()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def test_screenshot_of_the_page_at_1366_by_768(qtbot, demo_context, said, office_style):
    from app.ui.main_window import MainWindow

    db = demo_context.db
    for kind in ("每日", "手动"):
        sqlite_backup.create_backup(db, sqlite_backup.BackupKind(kind))
    window = MainWindow(demo_context)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    overview = window.page(0)  # let the first page's figures arrive before the window goes
    qtbot.waitUntil(lambda: overview.figures["subjects"].value.text() != "…", timeout=10_000)
    page = window.open_page("备份与恢复")
    qtbot.waitExposed(window)
    assert page.table.rowCount() == 2
    # the page itself fits beside the navigation under the menu and status bars of a 1366×768 screen
    assert page.minimumSizeHint().height() <= 768 - 80 and page.minimumSizeHint().width() <= 1366 - 190
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "backup-page.png"))
