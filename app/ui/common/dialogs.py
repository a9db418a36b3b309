"""Pieces every dialog repeats: Chinese OK/Cancel buttons and a date field with a calendar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox


def ok_cancel(dialog: QDialog, ok_text: str, cancel_text: str = "取消") -> QDialogButtonBox:
    """OK/Cancel buttons worded for this dialog, wired to accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def date_edit(value: date | None = None) -> QDateEdit:
    """A yyyy-MM-dd field with a calendar pop-up, showing ``value`` (today when None)."""
    edit = QDateEdit(as_qdate(value or date.today()))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def as_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def picked(edit: QDateEdit) -> date:
    """The date shown in a date field."""
    value = edit.date()
    return date(value.year(), value.month(), value.day())
