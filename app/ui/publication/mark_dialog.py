"""标记已公示: the day it went out and where (platform name or website address)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.ui.common.dialogs import date_edit, ok_cancel, picked

PLATFORMS = ("国家企业信用信息公示系统", "本部门门户网站", "“信用中国”网站")


class MarkPublishedDialog(QDialog):
    def __init__(self, what: str, due_on: date, today: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        today = today or date.today()
        self.setWindowTitle("标记已公示")
        text = QLabel(f"{what}\n公示期限：{due_on:%Y-%m-%d}")
        text.setWordWrap(True)
        self.published_on = date_edit(today)
        self.where = QComboBox()
        self.where.setEditable(True)
        self.where.addItems(PLATFORMS)
        self.where.setMinimumWidth(320)
        self.where.lineEdit().setPlaceholderText("平台名称或网站地址")
        form = QFormLayout()
        form.addRow("公示日期", self.published_on)
        form.addRow("公示渠道", self.where)
        buttons = ok_cancel(self, "标记已公示")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[date, str]:
        return picked(self.published_on), self.where.currentText()
