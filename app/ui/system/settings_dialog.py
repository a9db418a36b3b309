"""设置: office and department names used on documents, and this PC's database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import config
from app.services.system import settings as settings_service
from app.services.system.database import check_connection, save_database_choice
from app.services.errors import UserError
from app.ui.context import AppContext
from app.ui.tasks import show_error


class _OfficeTab(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        values = settings_service.get_settings(context.db)
        form = QFormLayout()
        self.office_name = QLineEdit(values[settings_service.OFFICE_NAME])
        self.office_name.setPlaceholderText("如：××县市场监督管理局（文书落款）")
        self.county_name = QLineEdit(values[settings_service.COUNTY_NAME])
        self.county_name.setPlaceholderText("如：××县")
        self.number_pattern = QLineEdit(values[settings_service.TASK_NUMBER_PATTERN])
        self.number_pattern.setToolTip("可用 {简称}、{年}、{序号}，如 {简称}抽查〔{年}〕{序号}号")
        form.addRow("单位名称：", self.office_name)
        form.addRow("县（市、区）：", self.county_name)
        form.addRow("任务编号格式：", self.number_pattern)
        self.notice_fields: dict[str, QLineEdit] = {}  # 检查结果告知书 (notices capability)
        for key, label, hint in (
                (settings_service.NOTICE_NUMBER_PATTERN, "告知书文号格式：", "可用 {简称}、{年}、{序号}"),
                (settings_service.RECORD_NUMBER_PATTERN, "抽取记录编号格式：", "可用 {简称}、{年}、{序号}"),
                (settings_service.PUBLICITY_PLATFORM, "结果公示平台：", "告知书中“通过……向社会公示”"),
                (settings_service.NOTICE_CONTACT, "告知书联系人：", "如：王可"),
                (settings_service.NOTICE_PHONE, "告知书联系电话：", "如：0310-2837912")):
            self.notice_fields[key] = QLineEdit(values[key])
            self.notice_fields[key].setPlaceholderText(hint)
            form.addRow(label, self.notice_fields[key])

        self.departments = QTableWidget(0, 2)
        self.departments.setHorizontalHeaderLabels(["部门名称", "文号简称"])
        self.departments.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.departments.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.department_ids: list[int | None] = []
        for dept in settings_service.list_departments(context.db):
            self._add_department_row(dept.id, dept.name, dept.short_name)
        add = QPushButton("添加部门")
        add.clicked.connect(lambda: self._add_department_row(None, "", ""))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("部门（用于文书抬头、任务编号和联合抽查）："))
        layout.addWidget(self.departments)
        layout.addWidget(add)

    def _add_department_row(self, dept_id: int | None, name: str, short: str) -> None:
        row = self.departments.rowCount()
        self.departments.insertRow(row)
        self.departments.setItem(row, 0, QTableWidgetItem(name))
        self.departments.setItem(row, 1, QTableWidgetItem(short))
        self.department_ids.append(dept_id)
        if dept_id is None:
            self.departments.editItem(self.departments.item(row, 0))

    def department_rows(self) -> list[tuple[int | None, str, str]]:
        rows = []
        for row, dept_id in enumerate(self.department_ids):
            name = self.departments.item(row, 0).text()
            short = self.departments.item(row, 1).text()
            if dept_id is None and not name.strip():
                continue  # an added row left empty
            rows.append((dept_id, name, short))
        return rows

    def values(self) -> dict:
        return {
            settings_service.OFFICE_NAME: self.office_name.text().strip(),
            settings_service.COUNTY_NAME: self.county_name.text().strip(),
            settings_service.TASK_NUMBER_PATTERN: self.number_pattern.text().strip(),
            **{key: edit.text().strip() for key, edit in self.notice_fields.items()},
        }


class _DatabaseTab(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"正在使用：{context.database_description}"))
        self.use_local = QRadioButton("本机数据库（单机使用，数据存于本机）")
        self.use_server = QRadioButton("局域网共享数据库（PostgreSQL，多台电脑共用）")
        is_server = context.db.backend == "postgresql"
        self.use_server.setChecked(is_server)
        self.use_local.setChecked(not is_server)
        layout.addWidget(self.use_local)

        local_row = QHBoxLayout()
        self.sqlite_path = QLineEdit(str(config.data_dir() / "workbench.sqlite3"))
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        local_row.addWidget(self.sqlite_path)
        local_row.addWidget(browse)
        layout.addLayout(local_row)
        layout.addWidget(self.use_server)

        form = QFormLayout()
        self.host = QLineEdit("")
        self.host.setPlaceholderText("服务器地址，如 192.168.1.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("shuangsuiji")
        self.user = QLineEdit("")
        self.password = QLineEdit("")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for label, widget in (("服务器：", self.host), ("端口：", self.port), ("数据库名：", self.database),
                              ("用户名：", self.user), ("密码：", self.password)):
            form.addRow(label, widget)
        layout.addLayout(form)
        where = QLabel(config.password_storage_text())
        where.setWordWrap(True)
        layout.addWidget(where)
        test = QPushButton("测试连接")
        test.clicked.connect(self._test)
        layout.addWidget(test)
        layout.addWidget(QLabel("更改数据库后需重新启动本程序。"))
        layout.addStretch(1)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "选择本机数据库文件", self.sqlite_path.text(), "数据库文件 (*.sqlite3)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.sqlite_path.setText(path)

    def chosen_url(self) -> str:
        if self.use_local.isChecked():
            return config.sqlite_url(self.sqlite_path.text().strip())
        if not self.host.text().strip() or not self.database.text().strip():
            raise UserError("请填写共享数据库的服务器地址和数据库名。")
        return config.postgres_url(self.host.text().strip(), self.port.value(), self.database.text().strip(),
                                   self.user.text().strip(), self.password.text())

    def _test(self) -> None:
        try:
            description = check_connection(self.chosen_url())
        except UserError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, "连接成功", f"可以连接：{description}")


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("设置")
        self.resize(640, 520)
        self.tabs = QTabWidget()
        self.office_tab = _OfficeTab(context)
        self.database_tab = _DatabaseTab(context)
        self.tabs.addTab(self.office_tab, "单位与部门")
        self.tabs.addTab(self.database_tab, "数据库")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._initial_url = self._current_choice()

    def _current_choice(self) -> str | None:
        try:
            return self.database_tab.chosen_url()
        except UserError:
            return None

    def _save(self) -> None:
        try:
            settings_service.save_settings(self.context.db, self.context.actor, self.office_tab.values())
            settings_service.save_departments(self.context.db, self.context.actor, self.office_tab.department_rows())
            url = self.database_tab.chosen_url()
            if url != self._initial_url:
                check_connection(url)
                save_database_choice(url)
                QMessageBox.information(self, "已保存", "数据库设置已保存，重新启动本程序后生效。")
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()
