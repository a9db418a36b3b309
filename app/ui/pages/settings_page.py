"""系统设置: the office's names, the database in use, and the audit log's state."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services import settings as settings_service
from app.services.overview import audit_status
from app.ui.context import AppContext
from app.ui.dialogs.settings_dialog import SettingsDialog
from app.ui.pages.base import Page
from app.ui.tasks import BackgroundOp


class SettingsPage(Page):
    title = "系统设置"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        heading = QLabel("系统设置")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)

        office = QGroupBox("单位与部门")
        form = QFormLayout(office)
        self.office_name = QLabel()
        self.county_name = QLabel()
        self.departments = QLabel()
        self.departments.setWordWrap(True)
        form.addRow("单位名称：", self.office_name)
        form.addRow("县（市、区）：", self.county_name)
        form.addRow("部门：", self.departments)
        layout.addWidget(office)

        database = QGroupBox("数据库")
        db_layout = QVBoxLayout(database)
        self.database = QLabel(context.database_description)
        self.database.setWordWrap(True)
        db_layout.addWidget(self.database)
        layout.addWidget(database)

        audit = QGroupBox("审计日志")
        audit_layout = QVBoxLayout(audit)
        self.audit_state = QLabel("尚未校验。")
        self.verify_button = QPushButton("校验哈希链")
        self.verify_button.clicked.connect(self.verify_audit)
        audit_layout.addWidget(self.audit_state)
        audit_layout.addWidget(self.verify_button)
        layout.addWidget(audit)

        buttons = QHBoxLayout()
        self.edit_button = QPushButton("修改设置…")
        self.edit_button.clicked.connect(self.open_settings)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def refresh(self) -> None:
        values = settings_service.get_settings(self.context.db)
        self.office_name.setText(values[settings_service.OFFICE_NAME] or "（未填写：文书落款会空着）")
        self.county_name.setText(values[settings_service.COUNTY_NAME] or "（未填写）")
        names = [d.name for d in settings_service.list_departments(self.context.db)]
        self.departments.setText("、".join(names) if names else "（尚无部门）")

    def open_settings(self) -> None:
        if SettingsDialog(self.context, self).exec():
            self.refresh()

    def verify_audit(self) -> None:
        self.verify_button.setEnabled(False)
        self.audit_state.setText("正在校验…")
        db = self.context.db
        BackgroundOp(self, lambda _p: audit_status(db), self._show_audit).failure(self._audit_failed) \
            .run_in_background()

    def _show_audit(self, report) -> None:
        self.verify_button.setEnabled(True)
        if report.ok:
            self.audit_state.setText(f"完整：共 {report.entries} 条记录，哈希链校验通过。")
        else:
            self.audit_state.setText(f"<b style='color:#b00'>第 {report.broken_id} 号记录被改动：{report.problem}</b>")

    def _audit_failed(self, exc: BaseException, details: str) -> None:
        from app.ui.tasks import show_error

        self.verify_button.setEnabled(True)
        self.audit_state.setText("校验未完成。")
        show_error(self, exc, details)
