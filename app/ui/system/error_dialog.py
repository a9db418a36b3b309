"""The safety net under the GUI: what nobody expected is logged and shown in Chinese.

``install()`` (called once by run_gui) sets ``sys.excepthook``, ``threading.excepthook`` and a
Qt message handler. An exception escaping a slot or an event handler then opens
``ErrorDialog``: a Chinese sentence, the log file's path, the details folded away and a
复制详细信息 button, so the clerk can paste them into a message to support. The windowed
build has no console: without this, such an error would vanish.
"""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtCore import Qt, QtMsgType, qFormatLogMessage, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication, QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from app.logs import details, log_exception, log_message, log_path

_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}


class ErrorDialog(QDialog):
    def __init__(self, text: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("程序遇到了意外的问题")
        self.detail = detail
        message = QLabel(text)
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_view = QPlainTextEdit(detail)
        self.details_view.setReadOnly(True)
        self.details_view.setVisible(False)
        self.details_view.setMinimumHeight(220)
        self.toggle_button = QPushButton("显示详细信息")
        self.toggle_button.clicked.connect(self._toggle)
        self.copy_button = QPushButton("复制详细信息")
        self.copy_button.clicked.connect(self.copy_details)
        close = QPushButton("关闭")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details_view, 1)
        layout.addLayout(buttons)
        self.resize(560, 200)

    def _toggle(self) -> None:
        shown = not self.details_view.isVisible()
        self.details_view.setVisible(shown)
        self.toggle_button.setText("隐藏详细信息" if shown else "显示详细信息")
        self.adjustSize()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.detail)
        self.copy_button.setText("已复制")


def unexpected_text(log_file) -> str:
    return ("程序遇到了意外的问题，刚才的操作可能没有完成（已保存的数据不受影响）。\n"
            f"详细信息已写入日志文件：{log_file}\n"
            "请点“复制详细信息”，连同出现问题前的操作步骤一起发给技术支持人员。若程序工作不正常，请保存工作后重新启动。")


_showing = False


def report_unexpected(exc_type, exc, tb, where: str = "界面", detail: str = "") -> None:
    """Log the error and, when a GUI is running, show it (one dialog at a time). ``detail`` is
    the traceback as text when it was formatted elsewhere (in a background thread)."""
    global _showing
    log_file = log_exception(exc_type, exc, tb, where, detail)
    if _showing or QApplication.instance() is None:
        print(unexpected_text(log_file), file=sys.stderr)
        return
    _showing = True
    try:
        shown = detail or details(exc_type, exc, tb)
        ErrorDialog(unexpected_text(log_file), shown, QApplication.activeWindow()).exec()
    finally:
        _showing = False


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report_unexpected(exc_type, exc, tb)


def _thread_hook(args) -> None:
    log_exception(args.exc_type, args.exc_value, args.exc_traceback, f"线程 {args.thread.name if args.thread else ''}")


def _qt_messages(kind, context, message: str) -> None:
    """Every message still reaches stderr as Qt would print it (QT_MESSAGE_PATTERN and
    QT_LOGGING_RULES keep working); warnings and worse also go to the log, and a critical one
    is shown as well."""
    if sys.stderr is not None:  # None in the windowed build on Windows
        print(qFormatLogMessage(kind, context, message), file=sys.stderr, flush=True)
    level = _LEVELS.get(kind, logging.WARNING)
    if level < logging.WARNING:
        return
    where = f"（{context.file}:{context.line}）" if context.file else ""
    log_message(level, f"Qt：{message}{where}")
    if kind == QtMsgType.QtCriticalMsg and not _showing:
        try:
            raise RuntimeError(f"Qt 报告了严重错误：{message}")
        except RuntimeError:
            report_unexpected(*sys.exc_info(), where="Qt")


def install() -> None:
    log_path().parent.mkdir(parents=True, exist_ok=True)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_hook
    qInstallMessageHandler(_qt_messages)
