"""系统设置: the office's names, the database in use, and the audit log's state."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import settings as settings_service
from app.services import templates as template_service
from app.services.errors import UserError
from app.services.overview import audit_status
from app.ui.context import AppContext
from app.ui.dialogs.print_preview_dialog import open_in_system, show_preview
from app.ui.dialogs.settings_dialog import SettingsDialog
from app.ui.pages.base import Page
from app.ui.tasks import BackgroundOp, show_error


class TemplatesGroup(QGroupBox):
    """文书模板: which are the office's own, edit one in WPS/Word, 恢复默认, 打印预览."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__("文书模板", parent)
        self.context = context
        self.rows: list[template_service.TemplateRow] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["文书", "模板文件", "状态"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 220)
        self.table.setColumnWidth(2, 80)
        self.table.setMinimumHeight(250)
        self.edit_button = QPushButton("用 WPS/Word 打开编辑")
        self.edit_button.clicked.connect(self.edit_template)
        self.restore_button = QPushButton("恢复默认…")
        self.restore_button.clicked.connect(self.restore_default)
        self.preview_button = QPushButton("打印预览")
        self.preview_button.clicked.connect(self.preview_template)
        note = QLabel(f"改过的模板保存在 {template_service.user_forms_dir()}，下次生成文书即用新模板；"
                      "占位符（如 {{ 部门名称 }}）请保留原样，可用字段见该文件夹中的“模板字段说明.txt”。"
                      "改坏了可点“恢复默认”。")
        note.setWordWrap(True)
        note.setObjectName("hint")
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.restore_button, self.preview_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(note)

    def refresh(self) -> None:
        chosen = self.table.currentRow()
        self.rows = template_service.list_templates()
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            for column, text in enumerate((row.title, row.filename, row.status)):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{row.description}\n现用：{row.path}")
                self.table.setItem(index, column, item)
        self.table.selectRow(max(chosen, 0))

    def selected(self) -> template_service.TemplateRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def edit_template(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            path = template_service.open_user_copy(row.kind)
        except UserError as exc:
            show_error(self, exc)
            return
        self.refresh()
        open_in_system(self, path)

    def restore_default(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.customised:
            QMessageBox.information(self, "恢复默认", f"《{row.title}》用的就是默认模板。")
            return
        answer = QMessageBox.question(
            self, "恢复默认", f"确定让《{row.title}》恢复使用程序自带的默认模板吗？\n"
            "改过的模板不会删除，会改名另存为 .bak 文件。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            backup = template_service.restore_default(row.kind, self.context.db, self.context.actor)
        except UserError as exc:
            show_error(self, exc)
            return
        self.refresh()
        if backup is not None:
            QMessageBox.information(self, "已恢复默认", f"已恢复默认模板。原来改过的模板另存为：\n{backup}")

    def preview_template(self) -> None:
        row = self.selected()
        if row is None:
            return
        BackgroundOp(self, lambda p: template_service.preview_template(row.kind, progress=p),
                     lambda result: show_preview(self, result[0], result[1], f"{row.title}（样例）")) \
            .with_progress("正在生成打印预览…").run_in_background()


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
        lan_buttons = QHBoxLayout()
        self.server_button = QPushButton("本机作为局域网服务器…")
        self.server_button.clicked.connect(self.open_server)
        self.connect_button = QPushButton("连接到局域网服务器…")
        self.connect_button.clicked.connect(self.open_connect)
        lan_buttons.addWidget(self.server_button)
        lan_buttons.addWidget(self.connect_button)
        lan_buttons.addStretch(1)
        db_layout.addLayout(lan_buttons)
        layout.addWidget(database)

        audit = QGroupBox("审计日志")
        audit_layout = QVBoxLayout(audit)
        self.audit_state = QLabel("尚未校验。")
        self.verify_button = QPushButton("校验哈希链")
        self.verify_button.clicked.connect(self.verify_audit)
        audit_layout.addWidget(self.audit_state)
        audit_layout.addWidget(self.verify_button)
        layout.addWidget(audit)

        self.templates = TemplatesGroup(context)
        layout.addWidget(self.templates)

        buttons = QHBoxLayout()
        self.edit_button = QPushButton("修改设置…")
        self.edit_button.clicked.connect(self.open_settings)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def open_server(self) -> None:
        from app.ui.server import ServerDialog

        ServerDialog(self.context, self).exec()

    def open_connect(self) -> None:
        from app.ui.server import ConnectDialog

        ConnectDialog(self).exec()

    def refresh(self) -> None:
        values = settings_service.get_settings(self.context.db)
        self.office_name.setText(values[settings_service.OFFICE_NAME] or "（未填写：文书落款会空着）")
        self.county_name.setText(values[settings_service.COUNTY_NAME] or "（未填写）")
        names = [d.name for d in settings_service.list_departments(self.context.db)]
        self.departments.setText("、".join(names) if names else "（尚无部门）")
        self.templates.refresh()

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
