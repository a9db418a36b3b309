"""Background work for the GUI, in the spirit of Anki's QueryOp.

    BackgroundOp(parent, lambda progress: service(db, progress=progress), on_done) \
        .failure(on_error).with_progress("正在导入…").run_in_background()

The op runs on a QThreadPool thread and must not touch widgets; it receives a
``Progress`` (Qt-free) whose ``step()`` raises ``Cancelled`` after the user
pressed 取消. Success, failure and progress come back on the GUI thread.
Errors the clerk can fix (``UserError``) are shown as they are; anything else
is shown as a failure with its details, never swallowed.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.services.errors import Cancelled, UserError
from app.services.progress import Progress


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object, str)
    progressed = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, op: Callable[[Progress], Any], progress: Progress, signals: _Signals):
        super().__init__()
        self._op, self._progress, self._signals = op, progress, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._op(self._progress)
        except BaseException as exc:  # noqa: BLE001 — every failure must reach the GUI
            self._signals.failed.emit(exc, traceback.format_exc())
        else:
            self._signals.succeeded.emit(result)


def show_error(parent: QWidget | None, exc: BaseException, details: str = "") -> None:
    """Tell the clerk what went wrong, in Chinese."""
    if isinstance(exc, Cancelled):
        QMessageBox.information(parent, "已取消", str(exc) or "已取消，未做任何更改。")
        return
    if not isinstance(exc, UserError):  # a bug: logged, and shown with its details to copy
        from app.ui.system.error_dialog import report_unexpected

        report_unexpected(type(exc), exc, exc.__traceback__, where="后台任务", detail=details)
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("操作未完成")
    box.setText(str(exc))
    box.exec()


class BackgroundOp:
    """One piece of background work with optional progress dialog and cancel button."""

    _running: set["BackgroundOp"] = set()  # keep alive until finished

    def __init__(
        self,
        parent: QWidget | None,
        op: Callable[[Progress], Any],
        success: Callable[[Any], None] | None = None,
    ):
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException, str], None] | None = None
        self._label: str | None = None
        self._dialog: QProgressDialog | None = None
        self._signals = _Signals()
        self._progress = Progress(self._signals.progressed.emit)

    def failure(self, handler: Callable[[BaseException, str], None]) -> "BackgroundOp":
        self._failure = handler
        return self

    def with_progress(self, label: str) -> "BackgroundOp":
        self._label = label
        return self

    def cancel(self) -> None:
        self._progress.cancel()

    @property
    def progress(self) -> Progress:
        return self._progress

    def run_in_background(self, pool: QThreadPool | None = None) -> "BackgroundOp":
        self._signals.succeeded.connect(self._on_success, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failure, Qt.ConnectionType.QueuedConnection)
        if self._label is not None:
            self._dialog = QProgressDialog(self._label, "取消", 0, 0, self._parent)
            self._dialog.setWindowTitle("请稍候")
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(400)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
            self._dialog.canceled.connect(self._on_cancel_pressed)
            self._signals.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        BackgroundOp._running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self._op, self._progress, self._signals))
        return self

    def _on_cancel_pressed(self) -> None:
        self._progress.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText("正在取消，已做的更改将撤回…")

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self._dialog is None or self._progress.cancelled:
            return
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        if label:
            self._dialog.setLabelText(label)

    def _finish(self) -> None:
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._on_cancel_pressed)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        BackgroundOp._running.discard(self)

    def _parent_gone(self) -> bool:
        """The page or window that asked was closed while the work ran: nobody is left to show it to."""
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _on_success(self, result: Any) -> None:
        self._finish()
        if self._success is not None and not self._parent_gone():
            self._success(result)

    def _on_failure(self, exc: BaseException, details: str) -> None:
        self._finish()
        if self._parent_gone():
            return
        if self._failure is not None:
            self._failure(exc, details)
        else:
            show_error(self._parent, exc, details)


def run_or_explain(parent: QWidget | None, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a quick service call on the GUI thread; a UserError is shown to the clerk.

    Returns (succeeded, result), so a dialog closes only when its change was saved.
    """
    try:
        return True, action()
    except UserError as exc:
        show_error(parent, exc)
        return False, None
