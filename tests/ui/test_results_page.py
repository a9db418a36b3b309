"""检查与结果 as a clerk uses it: draw → print the forms → type up three paper forms with the keyboard
(one found by scanning its QR code) → submit → a reviewer returns one and approves another.

Saves the page at 1366×768 to tmp_path, or to $SSJ_SCREENSHOTS when set:

    SSJ_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/ui/test_results_page.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from app.documents import find_soffice
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from app.services.inspection import records
from app.ui import tasks as ui_tasks
from app.ui.main_window import MainWindow
from app.ui.navigation import PAGES
from tests.actors import REVIEWER
from tests.ui.typing import type_text

WITNESSES = [Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"), Witness("李代表", "县人大代表", "00098765432")]
STATUS = 2  # the table's 状态 column
RESULT = 4


@pytest.fixture
def said(monkeypatch):
    """Error boxes answered as the clerk would; what they said is kept."""
    errors: list[str] = []
    monkeypatch.setattr(ui_tasks, "show_error", lambda _parent, exc, details="": errors.append(str(exc)))
    return errors


@pytest.fixture
def page(qtbot, demo_context, tmp_path):
    task_id = next(s.id for s in draws.task_draw_states(demo_context.db) if "联合抽查" in s.name)
    draws.run_draw(demo_context.db, demo_context.actor, task_id, WITNESSES, "", tmp_path / "包")
    # the areas this walk needs (the overview's background figures are not part of it)
    window = MainWindow(demo_context, pages=[p for p in PAGES if p.title in ("抽取", "检查与结果")])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    shown = window.open_page("检查与结果")
    shown.today = shown.today.replace(year=2026, month=11, day=30)  # inside the task's period
    shown.panel.load(records.get_inspection(demo_context.db, shown.current_id()), shown.today)
    yield shown  # (the window stays referenced until the test ends)


def _cell(page, row: int, column: int) -> str:
    return page.table.item(row, column).text()


def _row_of(page, inspection_id: int) -> int:
    return [r.id for r in page.rows].index(inspection_id)


def _toggle(qtbot, widget, text: str) -> None:
    """Move to an option with the arrow keys and tick or untick it with the space bar."""
    widget.setFocus()
    target = [widget.item(i).text() for i in range(widget.count())].index(text)
    QTest.keyClick(widget, Qt.Key.Key_Home)
    for _ in range(target):
        QTest.keyClick(widget, Qt.Key.Key_Down)
    QTest.keyClick(widget, Qt.Key.Key_Space)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice 未安装：无法预览检查表")
def test_print_the_forms_of_the_drawn_task(qtbot, page):
    assert "联合抽查" in page.task_combo.currentText() and page.table.rowCount() == 6
    page.print_forms(selected_only=False)
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=180_000)
    assert len(page.preview_dialog.page_labels) == 6  # one page per short form
    assert "6 份" in page.preview_dialog.windowTitle()
    page.preview_dialog.close()


def test_enter_three_forms_by_keyboard_submit_and_review(qtbot, page, said, monkeypatch, tmp_path):
    panel = page.panel
    first, second, third = page.rows[0], page.rows[1], page.rows[4]
    # 1: a clean form — the defaults are right, only the date is typed; Ctrl+Enter saves and moves on
    page.table.setFocus()
    page.select_row(0)
    panel.inspected_on.setFocus()
    panel.inspected_on.selectAll()
    QTest.keyClicks(panel.inspected_on, "2026-11-30")
    QTest.keyClick(panel.inspected_on, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _cell(page, 0, STATUS) == "已录入" and _cell(page, 0, RESULT) == "未发现问题"
    assert page.current_id() == second.id  # the next form is ready

    # 2: a problem — 责令改正 with a deadline, the finding typed against the first item
    _toggle(qtbot, panel.categories, "未发现问题")
    _toggle(qtbot, panel.categories, "发现问题已责令改正")
    _toggle(qtbot, panel.follow_ups, "无需后续处置")
    _toggle(qtbot, panel.follow_ups, "责令改正")
    QTest.keyClicks(panel.rectify_by, "2026-12-15")
    item = panel.items[0]
    item.result.setFocus()
    for _ in range(4):  # down the list to the fifth category
        QTest.keyClick(item.result, Qt.Key.Key_Down)
    assert item.result.currentText() == "发现问题已责令改正"
    type_text(item.finding, "从业人员健康证过期")
    type_text(item.handling, "当场责令改正")
    QTest.keyClick(panel.inspected_on, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _cell(page, 1, STATUS) == "已录入" and _cell(page, 1, RESULT) == "发现问题已责令改正"
    stored = records.get_inspection(page.context.db, second.id)
    assert stored.rectify_by.isoformat() == "2026-12-15" and stored.items[0].finding == "从业人员健康证过期"

    # a mistake is explained, nothing stored: 未发现问题 with a problem category
    page.select_row(2)
    _toggle(qtbot, panel.categories, "已关闭停业或正在组织清算")
    QTest.keyClick(panel.inspected_on, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert said and "不能与其他检查结果同时选择" in said[-1]
    assert _cell(page, 2, STATUS) == "待检查"

    # 3: found by scanning the QR code of its paper form (a USB scanner types it, then Enter)
    page.scan.setFocus()
    QTest.keyClicks(page.scan, third.qr_text)
    QTest.keyClick(page.scan, Qt.Key.Key_Return)
    assert page.current_id() == third.id and panel.inspected_on.hasFocus()
    assert third.subject_name in panel.title.text()
    QTest.keyClicks(panel.inspected_on, "2026-12-01")
    QTest.keyClick(panel.inspected_on, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    row3 = _row_of(page, third.id)
    assert _cell(page, row3, STATUS) == "已录入"
    assert page.counts.text() == "共 6 户，已录入 3 户"

    # submit the three
    page.status_filter.setCurrentText("已录入")
    assert page.table.rowCount() == 3
    page.table.selectAll()
    page.submit_button.click()
    assert page.table.rowCount() == 0  # none left 已录入
    page.status_filter.setCurrentText("待审核")
    assert page.table.rowCount() == 3

    # the clerk may not approve what they entered (a 经办人 holds no 审核人 role)
    page.select_row(0)
    page.approve_button.click()
    assert "没有审核人权限" in said[-1]

    # the reviewer: returns the 责令改正 one with a reason, approves the clean one
    page.context.actor = REVIEWER
    page.select_row(_row_of(page, second.id))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("整改期限应为十五个工作日", True))
    page.return_button.click()
    page.select_row(_row_of(page, first.id))
    page.approve_button.click()
    page.status_filter.setCurrentIndex(0)
    statuses = {r.id: _cell(page, _row_of(page, r.id), STATUS) for r in (first, second, third)}
    assert statuses == {first.id: "审核通过", second.id: "退回", third.id: "待审核"}
    page.select_row(_row_of(page, second.id))
    assert "退回原因：整改期限应为十五个工作日" in panel.state.text() and panel.isEnabled()
    page.select_row(_row_of(page, first.id))
    assert not panel.isEnabled()  # an approved result is read only

    out = Path(os.environ.get("SSJ_SCREENSHOTS", tmp_path))
    page.select_row(_row_of(page, second.id))
    qtbot.wait(200)  # let the panel lay out its new item rows
    assert page.window().grab().save(str(out / "results-page.png"))
