"""Keeps Python alive while the projector paints, on the PySide6 builds that drop references to None.

PySide6 6.12's wheels return ``None`` from void C++ methods (``QPainter.drawText``,
``QImage.setPixelColor``, ``QWidget.update`` …) without taking a new reference. From Python
3.12 on, None is immortal and nothing happens; on Python 3.11 every such call drops one
reference to None, and once none are left the interpreter aborts with
"Fatal Python error: none_dealloc". The projector makes a few hundred such calls per frame
(thousands for a QR code, ~14 frames a second during the animation) — in a live ceremony
that would crash the program within minutes.

``keep_none_alive()`` around a burst of Qt calls gives None back what the burst took. It is
a no-op where the bug is absent (Python ≥ 3.12, or a fixed PySide6). The real cure is
Python ≥ 3.12 for the whole program; this only makes the busiest painter safe meanwhile.
"""

from __future__ import annotations

import ctypes
import sys
from contextlib import contextmanager
from typing import Iterator


def _drops_none() -> bool:
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtGui import QColor

    colour = QColor()
    before = sys.getrefcount(None)
    for _ in range(64):
        colour.setAlpha(255)
    return sys.getrefcount(None) <= before - 32


DROPS_NONE = _drops_none()
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


@contextmanager
def keep_none_alive() -> Iterator[None]:
    """Give None back the references Qt calls inside the block dropped (never takes any away)."""
    if not DROPS_NONE:
        yield
        return
    before = sys.getrefcount(None)
    try:
        yield
    finally:
        # Another thread may hold or release references meanwhile: measure again, a few rounds.
        for _round in range(3):
            lost = before - sys.getrefcount(None)
            if lost <= 0:
                break
            for _ in range(lost):
                _incref(None)
