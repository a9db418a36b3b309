"""新增/编辑检查对象: every field of 库1, checked as the clerk types."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.directory import subjects as subject_service
from app.services.directory.subject_query import FLAGS, RISK_CLASSES
from app.ui.context import AppContext
from app.ui.tasks import run_or_explain

NO_DATE = QDate(1900, 1, 1)


class SubjectDialog(QDialog):
    def __init__(self, context: AppContext, subject_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("编辑检查对象" if subject_id else "新增检查对象")
        self.resize(560, 600)
        detail = subject_service.get_subject(context.db, subject_id) if subject_id else \
            subject_service.SubjectDetail(id=None)
        self.detail = detail
        self.code = QLineEdit(detail.code)
        self.code.setPlaceholderText("18位统一社会信用代码；个体户可填15位注册号")
        self.name = QLineEdit(detail.name)
        self.subject_type = QComboBox()
        self.subject_type.setEditable(True)
        self.subject_type.addItems(["有限责任公司", "股份有限公司", "个人独资企业", "合伙企业", "个体工商户",
                                    "农民专业合作社", "非营利组织", "其他"])
        self.subject_type.setCurrentText(detail.subject_type)
        self.legal_representative = QLineEdit(detail.legal_representative)
        self.phone = QLineEdit(detail.phone)
        self.address = QLineEdit(detail.address)
        self.region = QLineEdit(detail.region)
        self.industry = QLineEdit(detail.industry)
        self.registration_status = QComboBox()
        self.registration_status.setEditable(True)
        self.registration_status.addItems(["存续", "在业", "注销", "吊销", "迁出", "停业"])
        self.registration_status.setCurrentText(detail.registration_status)
        self.established_on = QDateEdit()
        self.established_on.setCalendarPopup(True)
        self.established_on.setDisplayFormat("yyyy-MM-dd")
        self.established_on.setMinimumDate(NO_DATE)
        self.established_on.setSpecialValueText("（未填）")
        self.established_on.setDate(QDate(detail.established_on) if detail.established_on else NO_DATE)
        self.registration_authority = QLineEdit(detail.registration_authority)
        self.risk_class = QComboBox()
        self.risk_class.addItem("（未分类）", "")
        for code, label in RISK_CLASSES.items():
            self.risk_class.addItem(f"{code}（{label}）", code)
        self.risk_class.setCurrentIndex(max(self.risk_class.findData(detail.risk_class), 0))
        self.flags = {flag: QCheckBox(label) for flag, label in FLAGS.items()}
        for flag, box in self.flags.items():
            box.setChecked(getattr(detail, flag))
        self.tags = QLineEdit("、".join(detail.tags))
        self.tags.setPlaceholderText("多个标签用顿号或逗号分隔")

        form = QFormLayout()
        self.code_message = QLabel()
        self.name_message = QLabel()
        self.date_message = QLabel()
        for label in (self.code_message, self.name_message, self.date_message):
            label.setWordWrap(True)
        form.addRow("统一社会信用代码：", self.code)
        form.addRow("", self.code_message)
        form.addRow("名称：", self.name)
        form.addRow("", self.name_message)
        for text, widget in (("主体类型：", self.subject_type), ("法定代表人/负责人：", self.legal_representative),
                             ("联系电话：", self.phone), ("住所/经营场所：", self.address),
                             ("所属区域：", self.region), ("行业：", self.industry),
                             ("登记状态：", self.registration_status), ("成立日期：", self.established_on)):
            form.addRow(text, widget)
        form.addRow("", self.date_message)
        form.addRow("登记机关：", self.registration_authority)
        form.addRow("信用风险分类：", self.risk_class)
        flags_row = QHBoxLayout()
        for box in self.flags.values():
            flags_row.addWidget(box)
        form.addRow("标记：", flags_row)
        form.addRow("标签：", self.tags)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        for line in (self.code, self.name):
            line.textChanged.connect(self.revalidate)
        self.established_on.dateChanged.connect(self.revalidate)
        self.revalidate()

    def current(self) -> subject_service.SubjectDetail:
        chosen = self.established_on.date()
        tags = [t.strip() for t in self.tags.text().replace("，", "、").replace(",", "、").split("、") if t.strip()]
        return subject_service.SubjectDetail(
            id=self.detail.id, code=self.code.text(), name=self.name.text(),
            subject_type=self.subject_type.currentText().strip(),
            legal_representative=self.legal_representative.text().strip(), phone=self.phone.text().strip(),
            address=self.address.text().strip(), region=self.region.text().strip(),
            industry=self.industry.text().strip(), registration_status=self.registration_status.currentText().strip(),
            established_on=None if chosen == NO_DATE else date(chosen.year(), chosen.month(), chosen.day()),
            registration_authority=self.registration_authority.text().strip(),
            risk_class=self.risk_class.currentData(), tags=tags,
            **{flag: box.isChecked() for flag, box in self.flags.items()},
        )

    def revalidate(self) -> None:
        problems = subject_service.check_subject(self.current())
        for field, label in (("code", self.code_message), ("name", self.name_message),
                             ("established_on", self.date_message)):
            if field in problems.errors:
                label.setText(f"<span style='color:#b00020'>✖ {problems.errors[field]}</span>")
            elif field in problems.warnings:
                label.setText(f"<span style='color:#a15c00'>⚠ {problems.warnings[field]}（仍可保存）</span>")
            else:
                label.setText("")
            label.setVisible(bool(label.text()))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems.errors)

    def save(self) -> None:
        saved, self.saved_id = run_or_explain(self, lambda: subject_service.save_subject(self.context.db, self.context.actor, self.current()))
        if saved:
            self.accept()
