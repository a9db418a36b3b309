"""替换: after the draw, a subject or an inspector is replaced by the next one in the draw's own order.

The clerk chooses only *who leaves* and *why*; who comes in is never a choice (the service takes
the next eligible one and records the reason, which prints on the record's addendum page).
A 监督员 (纪检) present logs in here to confirm; the confirmation is recorded with the replacement.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.replacement import INSPECTOR_REASONS, SUBJECT_REASONS, ReasonError, ReplacementReason, reason_text
from app.services.accounts import require
from app.services.accounts.users import login
from app.services.errors import UserError
from app.ui.common.dialogs import ok_cancel

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
        self.reason = QComboBox()  # the fixed list only: no free-form reason
        for reason in SUBJECT_REASONS if subject else INSPECTOR_REASONS:
            self.reason.addItem(reason.value, reason)
        self.reason.setCurrentIndex(-1)
        self.reason.setPlaceholderText("选择原因（必选，打印在记录补充页）")
        self.note = QLineEdit()
        self.note.setPlaceholderText("具体情况（选“其他”时必填），如“亲属关系”“经营者申请注销”")
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
        form.addRow("说明", self.note)
        buttons = ok_cancel(self, "替换")
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

    def choose_reason(self, reason: ReplacementReason, note: str = "") -> None:
        self.reason.setCurrentIndex(self.reason.findData(reason))
        self.note.setText(note)

    def values(self) -> tuple[str, ReplacementReason, str, str]:
        """(who leaves, reason, note, team label or "" for every team)."""
        return self.target.currentData(), self.reason.currentData(), self.note.text().strip(), \
            self.team.currentData() or ""

    def accept(self) -> None:
        if self.reason.currentData() is None:
            QMessageBox.warning(self, "请选择原因", "替换必须从列表中选择原因。")
            return
        try:
            reason_text(self.kind, self.reason.currentData(), self.note.text())
        except ReasonError as exc:
            QMessageBox.warning(self, "原因不完整", str(exc))
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
