"""替换: after the draw, a subject or an inspector is replaced by the next one in the draw's own order.

The clerk chooses only *who leaves* and *why*; who comes in is never a choice (the service takes
the next eligible one and records the reason, which prints on the record's addendum page).
A 监督员 (纪检) present logs in here to confirm; the confirmation is recorded with the replacement.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLineEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.services.accounts import require
from app.services.accounts.users import login
from app.services.errors import UserError

SUBJECT_REASONS = ("已注销", "已吊销营业执照", "通过登记的住所（经营场所）无法联系", "已迁出本辖区", "已关闭停业")
INSPECTOR_REASONS = ("回避：与检查对象有利害关系", "病假", "事假", "调离执法岗位", "执法证已过期")
ALL_TEAMS = ""


class ReplacementDialog(QDialog):
    """Pick the subject or inspector to replace and the reason (and, for 回避, the one team)."""

    def __init__(self, kind: str, choices: list[tuple[str, str]], teams: list[tuple[str, str]] | None = None,
                 parent: QWidget | None = None, *, db: Database):
        super().__init__(parent)
        self.kind, self.db = kind, db
        self.confirmed_by: Actor | None = None
        subject = kind == "subject"
        self.setWindowTitle("替换检查对象" if subject else "替换检查人员")
        self.target = QComboBox()
        for value, label in choices:
            self.target.addItem(label, value)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(SUBJECT_REASONS if subject else INSPECTOR_REASONS)
        self.reason.setCurrentIndex(-1)
        self.reason.lineEdit().setPlaceholderText("选择或填写原因（必填，打印在记录补充页）")
        self.team = QComboBox()
        self.team.addItem("所有检查组（病假、调离等，本次抽取不再参加）", ALL_TEAMS)
        for value, label in teams or []:
            self.team.addItem(f"仅{label}（回避）", value)
        note = QLabel("替换不由任何人指定：检查对象由同一分层候补名单中的下一户递补，检查人员由本次抽取顺序中"
                      "下一位符合条件的人员递补。替换及原因记入审计日志，并打印在抽取过程记录的补充页。")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("被替换的" + ("检查对象" if subject else "检查人员"), self.target)
        if not subject:
            form.addRow("范围", self.team)
        form.addRow("原因", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("替换")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.supervisor_user = QLineEdit()
        self.supervisor_user.setPlaceholderText("监督员的用户名")
        self.supervisor_password = QLineEdit()
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.supervisor_password.setPlaceholderText("由监督员本人输入")
        confirm = QGroupBox("监督员确认（纪检监督人员登录）")
        confirm_form = QFormLayout(confirm)
        confirm_form.addRow("用户名：", self.supervisor_user)
        confirm_form.addRow("密码：", self.supervisor_password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(confirm)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def values(self) -> tuple[str, str, str]:
        """(who leaves, reason, team label or "" for every team)."""
        return self.target.currentData(), self.reason.currentText().strip(), self.team.currentData() or ""

    def accept(self) -> None:
        if not self.reason.currentText().strip():
            QMessageBox.warning(self, "请填写原因", "替换必须写明原因（例如“已注销”“回避”“病假”）。")
            return
        try:
            supervisor = login(self.db, self.supervisor_user.text().strip(), self.supervisor_password.text()).actor
            require(supervisor, Role.SUPERVISOR)
        except UserError as exc:
            self.supervisor_password.clear()
            QMessageBox.warning(self, "监督员确认未通过", f"替换须由监督员登录确认。{exc}")
            return
        self.confirmed_by = supervisor
        super().accept()
