"""The two small forms of the notices page: 登记送达 and 作废."""

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
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.notices import DELIVERY_METHODS, DeliveryMethod
from app.services.notices.delivery import DeliveryInput


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class DeliveryDialog(QDialog):
    """送达方式, 送达日期, 邮件号 (邮寄), 受送达人 or 代收人, 备注."""

    def __init__(self, number: str, subject: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("登记送达")
        self.method = QComboBox()
        self.method.setObjectName("deliveryMethod")
        self.method.addItems(DELIVERY_METHODS)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("deliveryDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.tracking = QLineEdit()
        self.tracking.setObjectName("trackingNo")
        self.tracking.setPlaceholderText("邮寄送达时必填")
        self.recipient = QLineEdit()
        self.recipient.setObjectName("recipient")
        self.note = QLineEdit()
        form = QFormLayout()
        form.addRow("告知书", QLabel(f"{number}　{subject}"))
        form.addRow("送达方式", self.method)
        form.addRow("送达日期", self.day)
        form.addRow("邮件号", self.tracking)
        form.addRow("受送达人/代收人", self.recipient)
        form.addRow("备注", self.note)
        self.method.currentTextChanged.connect(
            lambda text: self.tracking.setEnabled(text == DeliveryMethod.POST))
        self.tracking.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "登记"))

    def value(self) -> DeliveryInput:
        picked = self.day.date()
        return DeliveryInput(self.method.currentText(), date(picked.year(), picked.month(), picked.day()),
                             self.tracking.text() if self.tracking.isEnabled() else "", self.recipient.text(),
                             self.note.text())


class VoidDialog(QDialog):
    """作废 needs a reason; the number stays used."""

    def __init__(self, number: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("作废告知书")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("voidReason")
        self.reason.setPlaceholderText("例如：检查对象名称有误，需重新出具")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"作废“{number}”：文号保留并在登记簿中标为已作废；之后可为该检查对象重新出具。"
                                "\n作废原因（必填）："))
        layout.addWidget(self.reason)
        layout.addWidget(_buttons(self, "作废"))
        self.resize(460, 220)

    def value(self) -> str:
        return self.reason.toPlainText().strip()
