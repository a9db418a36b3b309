"""审批通过 (批准日期, 备案日期) and 公示 (公示日期): a plan step with its dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.ui.common.dialogs import date_edit, ok_cancel, picked


class PlanDatesDialog(QDialog):
    """Asks for the main date of a step, and optionally the 备案 date (审批通过 only)."""

    def __init__(self, title: str, explanation: str, date_label: str, with_filing: bool = False,
                 today: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        today = today or date.today()
        self.setWindowTitle(title)
        self.main_date = date_edit(today)
        self.filed = QCheckBox("已报备案，备案日期：")
        self.filed_on = date_edit(today)
        self.filed_on.setEnabled(False)
        self.filed.toggled.connect(self.filed_on.setEnabled)
        text = QLabel(explanation)
        text.setWordWrap(True)
        form = QFormLayout()
        form.addRow(date_label, self.main_date)
        if with_filing:
            form.addRow(self.filed, self.filed_on)
        buttons = ok_cancel(self, "确定")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[date, date | None]:
        return picked(self.main_date), (picked(self.filed_on) if self.filed.isChecked() else None)
