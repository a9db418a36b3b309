"""Letting the window catch up in UI tests."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer


def settle(ms: int = 150) -> None:
    """Let layouts and queued signals run for ``ms`` (QTest.qWait would hold the GIL here)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
