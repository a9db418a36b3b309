"""Sizing windows for the screen they open on: the commonest office PC is 1366×768 with a
taskbar, and the projector at a draw is 1024×768. A window asks for the size it would like
and gets at most what the screen has free."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

_TITLE_BAR = 32  # the window frame the available geometry does not include


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """``window.resize(width, height)``, shrunk to the free area of its screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width, height = min(width, free.width()), min(height, free.height() - _TITLE_BAR)
    window.resize(width, height)
