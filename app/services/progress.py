"""Progress reporting and cancellation for long work, without Qt.

A service receives a ``Progress`` and calls ``step(done, total, label)`` now and
then; that call raises ``Cancelled`` once the user has asked to stop, so the
service's transaction rolls back and nothing is half-written.
"""

from __future__ import annotations

import threading
from typing import Callable

from app.services.errors import Cancelled

Listener = Callable[[int, int, str], None]


class Progress:
    def __init__(self, listener: Listener | None = None):
        self._listener = listener
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int = 0, label: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled("已取消，未做任何更改。")
        if self._listener is not None:
            self._listener(done, total, label)


NO_PROGRESS = Progress()
