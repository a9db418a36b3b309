"""Background work: results on the GUI thread, Chinese errors, progress and cancel."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from app.services.errors import UserError
from app.ui.tasks import BackgroundOp


def test_result_arrives_on_the_gui_thread(qtbot):
    gui_thread = threading.get_ident()
    seen = {}

    def op(_progress):
        seen["worker"] = threading.get_ident()
        return 41 + 1

    BackgroundOp(None, op, lambda result: seen.update(result=result, on=threading.get_ident())).run_in_background()
    qtbot.waitUntil(lambda: "result" in seen, timeout=3000)
    assert seen["result"] == 42
    assert seen["on"] == gui_thread != seen["worker"]


def test_user_error_reaches_the_failure_handler(qtbot):
    failures = []

    def op(_progress):
        raise UserError("文件不是 Excel 工作簿，请另存为 .xlsx 后再导入。")

    BackgroundOp(None, op).failure(lambda exc, details: failures.append(exc)).run_in_background()
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert isinstance(failures[0], UserError)
    assert "Excel" in str(failures[0])


def test_cancel_stops_the_work_and_reports_cancelled(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    started, release = threading.Event(), threading.Event()
    steps, failures = [], []

    def op(progress):
        started.set()
        release.wait(3)
        for i in range(1000):
            progress.step(i, 1000, f"第 {i} 步")
            steps.append(i)
        return "finished"

    job = BackgroundOp(parent, op, lambda _r: failures.append("completed")).with_progress("正在处理…")
    job.failure(lambda exc, details: failures.append(type(exc).__name__)).run_in_background()
    assert started.wait(3)
    job.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert failures == ["Cancelled"]
    assert steps == []


def test_progress_updates_the_dialog(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    done = []

    def op(progress):
        progress.step(3, 10, "正在导入第 3 行")
        release.wait(3)
        return True

    job = BackgroundOp(parent, op, done.append).with_progress("正在导入…").run_in_background()
    qtbot.waitUntil(lambda: job._dialog is not None and job._dialog.value() == 3, timeout=3000)
    assert job._dialog.labelText() == "正在导入第 3 行"
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert job._dialog is None
