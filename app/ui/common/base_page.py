"""The shape of a work area page in the main window's navigation."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext


class Page(QWidget):
    """A page shown when its area is chosen; ``refresh`` reloads from the services."""

    title = ""
    icon_name = ""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context

    def refresh(self) -> None:
        """Reload what the page shows; called each time the page is opened."""
