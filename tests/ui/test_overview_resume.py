"""A draw stopped half-way is offered on the start page, the first thing the clerk sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from app.ui.draw import control_window as control_module
from app.ui.draw.projector_view import WITNESSES


@pytest.fixture
def answered_yes(monkeypatch):
    questions = []

    def question(_parent, _title, text, *args, **kwargs):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(control_module.QMessageBox, "question", question)
    return questions


def test_the_start_page_offers_an_unfinished_draw_and_resumes_it(qtbot, demo_context, main_window, answered_yes):
    db = demo_context.db
    task = draws.task_draw_states(db)[2]
    started = draws.start_draw(db, demo_context.actor, task.id)
    draws.record_witnesses(db, demo_context.actor, started.id, [Witness("张纪检", "县纪委", "01234567890123456789")])
    page = main_window.open_page("概览")
    page.refresh()
    qtbot.waitUntil(lambda: page.unfinished.isVisible(), timeout=10_000)
    assert task.number in page.unfinished_text.text() and "见证人录入" in page.unfinished_text.text()
    if folder := __import__("os").environ.get("SSJ_SCREENSHOTS"):
        main_window.resize(1100, 700)
        loop = QEventLoop()
        QTimer.singleShot(100, loop.quit)
        loop.exec()
        main_window.grab().save(str(Path(folder) / "overview-unfinished-draw.png"))
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    control = main_window.open_page("抽取").control
    qtbot.addWidget(control)
    qtbot.addWidget(control.projector)
    qtbot.waitUntil(lambda: control.view is not None and not control.busy, timeout=10_000)
    assert "见证人录入" in answered_yes[-1]
    assert control.view.id == started.id and control.projector.screen_name == WITNESSES


def test_no_banner_when_every_draw_is_finished_or_not_started(qtbot, main_window):
    page = main_window.open_page("概览")
    page.refresh()
    qtbot.waitUntil(lambda: page.figures["subjects"].value.text() != "…", timeout=10_000)
    assert not page.unfinished.isVisible()
