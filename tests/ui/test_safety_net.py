"""The GUI's safety net: Qt's own dialogs in Chinese, and an unexpected error shown in Chinese
with its details to copy and written to the log in the data folder."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app import config
from app.ui.app import make_application
from app.ui.system import error_dialog
from app.ui.system.error_dialog import ErrorDialog


@pytest.fixture
def net(qapp, monkeypatch):
    """The hooks installed as run_gui installs them, and taken down after the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    error_dialog.install()
    yield
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(None)


def _answer_next_dialog(qtbot, seen: list):
    """Reads the error dialog once it is open, copies the details and closes it."""
    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ErrorDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        dialog.copy_button.click()
        seen.append(QGuiApplication.clipboard().text())
        dialog.accept()
    QTimer.singleShot(0, answer)


def test_qt_standard_buttons_are_chinese(qapp):
    make_application()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "是(&Y)"


def test_an_exception_in_a_slot_is_shown_in_chinese_and_logged(qtbot, net):
    seen: list = []
    _answer_next_dialog(qtbot, seen)
    try:
        raise ZeroDivisionError("模拟：按钮的处理出错")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())  # what PySide6 calls for an exception leaving a slot
    dialog, copied = seen
    assert dialog.windowTitle() == "程序遇到了意外的问题"
    assert dialog.copy_button.text() == "已复制"
    assert "ZeroDivisionError: 模拟：按钮的处理出错" in copied and "Traceback" in copied
    log = config.data_dir() / "logs" / "shuangsuiji.log"
    assert "ZeroDivisionError: 模拟：按钮的处理出错" in log.read_text(encoding="utf-8")


def test_a_failed_background_op_is_shown_by_the_net(qtbot, net):
    from app.ui.tasks import show_error

    seen: list = []
    _answer_next_dialog(qtbot, seen)
    show_error(None, KeyError("缺少的键"), "Traceback (most recent call last):\n  ...\nKeyError: '缺少的键'\n")
    assert "KeyError: '缺少的键'" in seen[1]


def test_a_users_mistake_is_not_treated_as_a_bug(qtbot, net, monkeypatch):
    from app.services.errors import UserError
    from app.ui.tasks import show_error

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    show_error(None, UserError("请先选择文件。"))
    assert shown == ["请先选择文件。"]
    assert not (config.data_dir() / "logs" / "shuangsuiji.log").exists()


def test_qt_warnings_still_reach_stderr_and_are_logged(qtbot, net, capfd):
    from PySide6.QtCore import qWarning

    qWarning("模拟的 Qt 警告")
    assert "模拟的 Qt 警告" in capfd.readouterr().err
    log = config.data_dir() / "logs" / "shuangsuiji.log"
    assert "Qt：模拟的 Qt 警告" in log.read_text(encoding="utf-8")
