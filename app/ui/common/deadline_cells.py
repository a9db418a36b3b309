"""Table cells of the 概览 deadline lists (公示 and 报表报送): coloured by how the item stands,
and buttons that sit in a cell."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidgetItem, QWidget

from app.domain.publication import PublicationState

#: (background, text) per state: red overdue, amber due soon, plain upcoming.
STATE_COLOURS = {PublicationState.OVERDUE: ("#fde2e1", "#a61b1b"),
                 PublicationState.DUE_SOON: ("#fff1c7", "#7a5200"),
                 PublicationState.UPCOMING: ("#ffffff", "#333333")}


def state_item(text: str, state: PublicationState) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    background, foreground = STATE_COLOURS[state]
    cell.setBackground(QBrush(QColor(background)))
    cell.setForeground(QBrush(QColor(foreground)))
    return cell


def cell_button(text: str, action: Callable[[], None], enabled: bool = True) -> QWidget:
    """A button with a little margin, to put in a table cell with setCellWidget."""
    holder = QWidget()
    button = QPushButton(text)
    button.setEnabled(enabled)
    button.clicked.connect(lambda _checked=False: action())
    row = QHBoxLayout(holder)
    row.setContentsMargins(2, 1, 2, 1)
    row.addWidget(button)
    return holder
