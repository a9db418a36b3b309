"""新增/编辑执法检查人员, and 登记请假/借调/调离."""

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
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.directory import inspectors as inspector_service
from app.services.system import settings as settings_service
from app.services.errors import UserError
from app.ui.context import AppContext
from app.ui.tasks import run_or_explain, show_error

NO_DATE = QDate(1900, 1, 1)


def _to_date(value: QDate) -> date | None:
    return None if value == NO_DATE else date(value.year(), value.month(), value.day())


def _date_edit(value: date | None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("（未填）")
    edit.setDate(QDate(value) if value else NO_DATE)
    return edit


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.replace("，", "、").replace(",", "、").split("、") if t.strip()]


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.rejected.connect(dialog.reject)
    return buttons


class InspectorDialog(QDialog):
    def __init__(self, context: AppContext, inspector_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("编辑执法检查人员" if inspector_id else "新增执法检查人员")
        detail = inspector_service.get_inspector(context.db, inspector_id) if inspector_id else \
            inspector_service.InspectorDetail(id=None)
        self.detail = detail
        self.name = QLineEdit(detail.name)
        self.gender = QComboBox()
        self.gender.addItems(["", "男", "女"])
        self.gender.setCurrentText(detail.gender)
        self.department = QComboBox()
        self.department.addItem("（专家库，不属于部门）", None)
        for dept in settings_service.list_departments(context.db):
            self.department.addItem(dept.name, dept.id)
        self.department.setCurrentIndex(max(self.department.findData(detail.department_id), 0))
        self.office = QLineEdit(detail.office)
        self.position = QLineEdit(detail.position)
        self.category = QComboBox()
        self.category.addItems(list(inspector_service.CATEGORIES))
        self.category.setCurrentText(detail.category)
        self.certificate_no = QLineEdit(detail.certificate_no)
        self.certificate_expires_on = _date_edit(detail.certificate_expires_on)
        self.qualifications = QLineEdit("、".join(detail.qualifications))
        self.specialities = QLineEdit("、".join(detail.specialities))
        self.can_lead = QCheckBox("可任组长")
        self.can_lead.setChecked(detail.can_lead)
        self.phone = QLineEdit(detail.phone)
        self.message = QLabel()
        self.message.setWordWrap(True)

        form = QFormLayout()
        for text, widget in (("姓名：", self.name), ("性别：", self.gender), ("部门：", self.department),
                             ("科室：", self.office), ("职务：", self.position), ("人员类别：", self.category),
                             ("执法证号：", self.certificate_no), ("执法证有效期至：", self.certificate_expires_on),
                             ("执法资质：", self.qualifications), ("业务专长：", self.specialities),
                             ("", self.can_lead), ("联系电话：", self.phone)):
            form.addRow(text, widget)
        self.buttons = _buttons(self)
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for line in (self.name, self.certificate_no):
            line.textChanged.connect(self.revalidate)
        self.category.currentIndexChanged.connect(self.revalidate)
        self.department.currentIndexChanged.connect(self.revalidate)
        self.revalidate()

    def current(self) -> inspector_service.InspectorDetail:
        return inspector_service.InspectorDetail(
            id=self.detail.id, name=self.name.text(), gender=self.gender.currentText(),
            department_id=self.department.currentData(), office=self.office.text(), position=self.position.text(),
            category=self.category.currentText(), certificate_no=self.certificate_no.text(),
            certificate_expires_on=_to_date(self.certificate_expires_on.date()),
            qualifications=_split(self.qualifications.text()), specialities=_split(self.specialities.text()),
            can_lead=self.can_lead.isChecked(), phone=self.phone.text().strip(),
        )

    def revalidate(self) -> None:
        errors = inspector_service.check_inspector(self.current())
        self.message.setText("<br>".join(f"<span style='color:#b00020'>✖ {m}</span>" for m in errors.values()))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not errors)

    def save(self) -> None:
        if run_or_explain(self, lambda: inspector_service.save_inspector(self.context.db, self.context.actor, self.current()))[0]:
            self.accept()


class StatusPeriodDialog(QDialog):
    """登记请假、借调或调离 for one inspector."""

    def __init__(self, context: AppContext, inspector_id: int, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.inspector_id = context, inspector_id
        self.setWindowTitle(f"登记人员状态：{name}")
        self.status = QComboBox()
        self.status.addItems(["请假", "借调", "调离"])
        self.starts_on = _date_edit(date.today())
        self.ends_on = _date_edit(None)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：病假、借调至县委巡察办")
        form = QFormLayout()
        form.addRow("状态：", self.status)
        form.addRow("开始日期：", self.starts_on)
        form.addRow("结束日期：", self.ends_on)
        form.addRow("", QLabel("结束日期不填表示尚未确定（调离一般不填）。"))
        form.addRow("说明：", self.note)
        buttons = _buttons(self)
        buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        starts_on = _to_date(self.starts_on.date())
        if starts_on is None:
            show_error(self, UserError("请填写开始日期。"))
            return
        try:
            inspector_service.add_status_period(self.context.db, self.context.actor, self.inspector_id,
                                                self.status.currentText(), starts_on,
                                                _to_date(self.ends_on.date()), self.note.text().strip())
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()
