"""登录, 首次使用（建立管理员） and 修改密码: the dialogs before and around the main window."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app import APP_NAME
from app.db.session import Database
from app.domain.accounts import Actor
from app.services.accounts import users
from app.services.accounts.passwords import MIN_LENGTH
from app.services.errors import UserError


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class _FormDialog(QDialog):
    """A titled form with an explanation, a red message line, and OK/取消 buttons."""

    def __init__(self, title: str, intro: str, ok_text: str, cancel_text: str, parent: QWidget | None = None,
                 heading: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.heading = QLabel(heading)
        self.heading.setObjectName("pageTitle")
        self.heading.setVisible(bool(heading))
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def attempt(self, action) -> bool:
        """Run ``action``; a refusal is shown in the dialog, which stays open."""
        try:
            action()
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        self.message.clear()
        return True


class LoginDialog(_FormDialog):
    """登录: every session starts with an account; five wrong passwords lock it for five minutes."""

    def __init__(self, db: Database, database_description: str = "", parent: QWidget | None = None,
                 title: str = f"登录 — {APP_NAME}", intro: str = "", cancel_text: str = "退出"):
        super().__init__(title, intro or f"请用您的账户登录。\n数据库：{database_description}", "登录", cancel_text,
                         parent, heading=APP_NAME if not intro else "")
        self.db = db
        self.username = QLineEdit()
        self.username.setPlaceholderText("用户名")
        self.password = password_field("密码")
        self.form.addRow("用户名：", self.username)
        self.form.addRow("密码：", self.password)
        self.login: users.Login | None = None

    def accept(self) -> None:
        def check() -> None:
            self.login = users.login(self.db, self.username.text().strip(), self.password.text())

        if self.attempt(check):
            super().accept()
        else:
            self.password.clear()
            self.password.setFocus()


class FirstAdminDialog(_FormDialog):
    """首次使用: an empty database gets its administrator (who is also 经办人, to set up the county)."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(f"首次使用 — {APP_NAME}",
                         "这是一个还没有账户的数据库。请建立管理员账户：管理员负责账户、设置和模板，"
                         "同时是经办人，可以建立“一单两库一细则”。其他人员的账户由管理员在“用户管理”中添加。",
                         "建立并登录", "退出", parent, heading="首次使用：建立管理员账户")
        self.db = db
        self.username = QLineEdit()
        self.username.setPlaceholderText("英文字母或数字，如 wangfang")
        self.name = QLineEdit()
        self.name.setPlaceholderText("真实姓名：出现在记录、文书和审计日志上")
        self.password = password_field(f"至少 {MIN_LENGTH} 位")
        self.again = password_field("再输入一次")
        self.form.addRow("用户名：", self.username)
        self.form.addRow("姓名：", self.name)
        self.form.addRow("密码：", self.password)
        self.form.addRow("确认密码：", self.again)
        self.actor: Actor | None = None

    def accept(self) -> None:
        def create() -> None:
            if self.password.text() != self.again.text():
                raise UserError("两次输入的密码不一致。")
            self.actor = users.create_first_admin(self.db, self.username.text().strip(), self.name.text(),
                                                  self.password.text())

        if self.attempt(create):
            super().accept()


class ChangePasswordDialog(_FormDialog):
    """修改密码 (required after an administrator's reset)."""

    def __init__(self, db: Database, actor: Actor, required: bool = False, parent: QWidget | None = None):
        intro = ("管理员重置了您的密码，请先设置一个只有您知道的新密码。" if required
                 else f"修改“{actor.name}”（{actor.username}）的登录密码。")
        super().__init__("修改密码", intro, "修改", "退出" if required else "取消", parent)
        self.db, self.actor = db, actor
        self.old = password_field()
        self.new = password_field(f"至少 {MIN_LENGTH} 位")
        self.again = password_field("再输入一次")
        self.form.addRow("原密码：", self.old)
        self.form.addRow("新密码：", self.new)
        self.form.addRow("确认新密码：", self.again)

    def accept(self) -> None:
        def change() -> None:
            if self.new.text() != self.again.text():
                raise UserError("两次输入的新密码不一致。")
            users.change_password(self.db, self.actor, self.old.text(), self.new.text())

        if self.attempt(change):
            super().accept()


def log_in(db: Database, database_description: str, demo: bool = False) -> Actor | None:
    """Who works in this session: the demo's 经办人 without asking, the first administrator on an
    empty database, otherwise whoever logs in (and changes a reset password). None: the user quit."""
    if demo:
        try:
            return users.login(db, "clerk", users.DEMO_PASSWORD).actor
        except UserError:
            pass  # the demo clerk's password was changed: log in as anyone
    if not users.has_accounts(db):
        dialog = FirstAdminDialog(db)
        return dialog.actor if dialog.exec() else None
    dialog = LoginDialog(db, database_description)
    if not dialog.exec() or dialog.login is None:
        return None
    if dialog.login.must_change_password and not ChangePasswordDialog(db, dialog.login.actor, required=True).exec():
        return None
    return dialog.login.actor
