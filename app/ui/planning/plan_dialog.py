"""新建/编辑年度抽查计划: 年度, 名称, 部门 or 部门联合, 备注."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.planning import plans as plan_service
from app.services.system import settings as settings_service
from app.ui.context import AppContext
from app.ui.tasks import run_or_explain

JOINT = "部门联合（由县“双随机”办统筹）"


class PlanDialog(QDialog):
    def __init__(self, context: AppContext, year: int, plan: plan_service.PlanRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.plan = plan
        self.setWindowTitle("编辑抽查计划" if plan else "新建年度抽查计划")
        self.resize(520, 320)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(plan.year if plan else year)
        self.year.setSuffix(" 年度")
        self.department = QComboBox()
        self.department.addItem(JOINT, None)
        for dept in settings_service.list_departments(context.db):
            if not dept.is_office:
                self.department.addItem(dept.name, dept.id)
        self.name = QLineEdit(plan.name if plan else "")
        self.name.setPlaceholderText("如：2026年度部门联合随机抽查工作计划")
        if plan:
            departments = [self.department.itemText(i) for i in range(self.department.count())]
            self.department.setCurrentIndex(departments.index(plan.department) if plan.department in departments else 0)
        self.note = QPlainTextEdit(plan.note if plan else "")
        self.note.setPlaceholderText("备注（可留空）：抽查重点、依据文件等")
        self.message = QLabel()
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow("年度：", self.year)
        form.addRow("编制部门：", self.department)
        form.addRow("计划名称：", self.name)
        form.addRow("", self.message)
        form.addRow("备注：", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self._suggested = ""
        self.year.valueChanged.connect(self._suggest_name)
        self.department.currentIndexChanged.connect(self._suggest_name)
        self.name.textChanged.connect(self.revalidate)
        if not plan:
            self._suggest_name()
        self.revalidate()

    def _suggest_name(self) -> None:
        """Offer the usual name until the clerk types one of their own."""
        if self.name.text() and self.name.text() != self._suggested:
            return
        dept = self.department.currentData()
        who = "部门联合" if dept is None else self.department.currentText()
        self._suggested = f"{who}{self.year.value()}年度“双随机、一公开”抽查工作计划"
        self.name.setText(self._suggested)

    def current(self) -> plan_service.PlanDetail:
        return plan_service.PlanDetail(self.plan.id if self.plan else None, self.year.value(), self.name.text(),
                                       self.department.currentData(), self.note.toPlainText())

    def revalidate(self) -> None:
        errors = plan_service.check_plan(self.current())
        self.message.setText("".join(f"<span style='color:#b00020'>✖ {m}</span>" for m in errors.values()))
        self.message.setVisible(bool(errors))
        self.save_button.setEnabled(not errors)

    def save(self) -> None:
        saved, self.saved_id = run_or_explain(self, lambda: plan_service.save_plan(self.context.db, self.context.actor, self.current()))
        if saved:
            self.accept()
