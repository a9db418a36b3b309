"""用户管理 (administrators): accounts, their roles, password resets, deactivation (never deletion)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
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

from app.services.accounts import users
from app.ui.accounts.user_dialog import AddUserDialog, ResetPasswordDialog, RolesDialog
from app.ui.context import AppContext
from app.ui.common.base_page import Page
from app.ui.tasks import run_or_explain

HEADERS = ["用户名", "姓名", "角色", "状态"]


def state_text(row: users.UserRow, now: datetime | None = None) -> str:
    if not row.active:
        return "已停用"
    parts = ["启用"]
    if row.locked_until and row.locked_until > (now or datetime.now()):
        parts.append(f"锁定至 {row.locked_until:%H:%M}")
    if row.must_change_password:
        parts.append("下次登录须改密码")
    return "，".join(parts)


class UsersPage(Page):
    title = "用户管理"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.rows: list[users.UserRow] = []
        heading = QLabel("用户管理")
        heading.setObjectName("pageTitle")
        note = QLabel("每人一个账户，记录、文书和审计日志上写的是账户的真实姓名。不再工作的人请“停用”："
                      "账户不删除，旧记录仍能查到是谁。")
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton("新增账户…")
        self.add_button.clicked.connect(self.add_user)
        self.roles_button = QPushButton("修改角色…")
        self.roles_button.clicked.connect(self.edit_roles)
        self.reset_button = QPushButton("重置密码…")
        self.reset_button.clicked.connect(self.reset_password)
        self.deactivate_button = QPushButton("停用")
        self.deactivate_button.clicked.connect(self.deactivate)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.roles_button, self.reset_button, self.deactivate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def refresh(self) -> None:
        self.rows = users.list_users(self.context.db)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.username, row.name, row.roles_text, state_text(row))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._update_buttons()

    def selected(self) -> users.UserRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.rows[indexes[0].row()] if indexes else None

    def select(self, username: str) -> None:
        for r, row in enumerate(self.rows):
            if row.username == username:
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.roles_button, self.reset_button, self.deactivate_button):
            button.setEnabled(row is not None and row.active)

    def add_user(self) -> None:
        if AddUserDialog(self.context.db, self.context.actor, self).exec():
            self.refresh()

    def edit_roles(self) -> None:
        row = self.selected()
        if row and RolesDialog(self.context.db, self.context.actor, row, self).exec():
            self.refresh()

    def reset_password(self) -> None:
        row = self.selected()
        if row and ResetPasswordDialog(self.context.db, self.context.actor, row, self).exec():
            self.refresh()

    def deactivate(self) -> None:
        row = self.selected()
        if row is None:
            return
        question = f"停用“{row.name}”（{row.username}）的账户？停用后不能再登录；账户和旧记录都保留。"
        if QMessageBox.question(self, "停用账户", question) != QMessageBox.StandardButton.Yes:
            return
        if run_or_explain(self, lambda: users.deactivate(self.context.db, self.context.actor, row.username))[0]:
            self.refresh()
