"""标记已公示: the day it went out and where (platform name or website address)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

PLATFORMS = ("国家企业信用信息公示系统", "本部门门户网站", "“信用中国”网站")


class MarkPublishedDialog(QDialog):
    def __init__(self, what: str, due_on: date, today: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        today = today or date.today()
        self.setWindowTitle("标记已公示")
        text = QLabel(f"{what}\n公示期限：{due_on:%Y-%m-%d}")
        text.setWordWrap(True)
        self.published_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.published_on.setCalendarPopup(True)
        self.published_on.setDisplayFormat("yyyy-MM-dd")
        self.where = QComboBox()
        self.where.setEditable(True)
        self.where.addItems(PLATFORMS)
        self.where.setMinimumWidth(320)
        self.where.lineEdit().setPlaceholderText("平台名称或网站地址")
        form = QFormLayout()
        form.addRow("公示日期", self.published_on)
        form.addRow("公示渠道", self.where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("标记已公示")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[date, str]:
        value = self.published_on.date()
        return date(value.year(), value.month(), value.day()), self.where.currentText()
