"""新增账户 / 修改角色 / 重置密码: the administrator's dialogs on the 用户管理 page."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget

from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.services.accounts import users
from app.services.accounts.passwords import MIN_LENGTH
from app.services.errors import UserError
from app.ui.accounts.login_dialog import _FormDialog, password_field

ROLE_TIPS = {
    Role.ADMIN: "账户、设置、模板",
    Role.CLERK: "名录库、计划、抽取、结果、文书",
    Role.REVIEWER: "审核计划和结果（不能审核自己提交的）",
    Role.SUPERVISOR: "纪检：查看全部、确认抽取和替换、校验审计日志",
    Role.READER: "只能查看",
}


class RolePicker(QWidget):
    def __init__(self, chosen: tuple[Role, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for role in Role:
            box = QCheckBox(role.value)
            box.setToolTip(ROLE_TIPS[role])
            box.setChecked(role in chosen)
            self.boxes[role] = box
            layout.addWidget(box)
        layout.addStretch(1)

    def roles(self) -> list[Role]:
        return [role for role, box in self.boxes.items() if box.isChecked()]


class AddUserDialog(_FormDialog):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None):
        super().__init__("新增账户", "新账户首次登录时须修改这里设定的初始密码。一人可兼任多个角色；"
                         "提交计划的人不能审核同一计划。", "新增", "取消", parent)
        self.db, self.actor = db, actor
        self.username = QLineEdit()
        self.username.setPlaceholderText("英文字母或数字，如 wangfang")
        self.name = QLineEdit()
        self.name.setPlaceholderText("真实姓名")
        self.roles = RolePicker((Role.CLERK,))
        self.password = password_field(f"初始密码，至少 {MIN_LENGTH} 位")
        self.form.addRow("用户名：", self.username)
        self.form.addRow("姓名：", self.name)
        self.form.addRow("角色：", self.roles)
        self.form.addRow("初始密码：", self.password)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        if self.attempt(lambda: users.add_user(self.db, self.actor, self.username.text().strip(), self.name.text(),
                                               self.roles.roles(), self.password.text())):
            super().accept()


class RolesDialog(_FormDialog):
    def __init__(self, db: Database, actor: Actor, row: users.UserRow, parent: QWidget | None = None):
        super().__init__("修改角色", f"“{row.name}”（{row.username}）的角色：", "保存", "取消", parent)
        self.db, self.actor, self.username = db, actor, row.username
        self.roles = RolePicker(row.roles)
        self.form.addRow("角色：", self.roles)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        if self.attempt(lambda: users.set_roles(self.db, self.actor, self.username, self.roles.roles())):
            super().accept()


class ResetPasswordDialog(_FormDialog):
    def __init__(self, db: Database, actor: Actor, row: users.UserRow, parent: QWidget | None = None):
        super().__init__("重置密码", f"为“{row.name}”（{row.username}）设定新的临时密码，"
                         "其下次登录时须改成只有本人知道的密码；账户如被锁定，同时解除。", "重置", "取消", parent)
        self.db, self.actor, self.username = db, actor, row.username
        self.password = password_field(f"至少 {MIN_LENGTH} 位")
        self.again = password_field("再输入一次")
        self.form.addRow("临时密码：", self.password)
        self.form.addRow("确认：", self.again)

    def accept(self) -> None:
        def reset() -> None:
            if self.password.text() != self.again.text():
                raise UserError("两次输入的密码不一致。")
            users.reset_password(self.db, self.actor, self.username, self.password.text())

        if self.attempt(reset):
            super().accept()
