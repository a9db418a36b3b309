"""Accounts as people meet them: the first start, the login dialog, a refusal in Chinese, approving
as another user, and the 用户管理 page (with the screenshots in docs/screenshots)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.accounts import Role
from app.services.demo import county as demo
from app.services.planning import plans
from app.services.accounts import users
from app.ui.accounts import login_dialog
from app.ui.accounts.login_dialog import FirstAdminDialog, LoginDialog, log_in
from app.ui.accounts.user_dialog import AddUserDialog
from app.ui.accounts.users_page import UsersPage
from app.ui.app import make_application
from app.ui.context import AppContext
from app.ui.planning.plan_dates_dialog import PlanDatesDialog
from app.ui.main_window import MainWindow
from tests.integration.test_plans_and_tasks import _plan, _task
from tests.ui.typing import type_text

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def county(sqlite_database):
    """The sample county with its four accounts and a plan the clerk has submitted."""
    users.create_demo_accounts(sqlite_database)
    clerk = users.login(sqlite_database, "clerk", users.DEMO_PASSWORD).actor
    demo.create_demo(sqlite_database, clerk, subjects=200, today=date(2026, 11, 23), with_plan=False)
    plan_id = _plan(sqlite_database)
    _task(sqlite_database, plan_id)
    plans.submit_plan(sqlite_database, clerk, plan_id)
    return sqlite_database


def _settle(qtbot) -> None:
    """Let the pages' background loads finish before the window goes away."""
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=10_000)
    QApplication.processEvents()


def _log_in(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    type_text(dialog.username, username)
    dialog.password.clear()
    type_text(dialog.password, password)
    dialog.ok_button.click()


def test_a_wrong_password_is_explained_in_chinese_and_the_dialog_stays(qtbot, county):
    dialog = LoginDialog(county, "本机数据库")
    qtbot.addWidget(dialog)
    _log_in(qtbot, dialog, "clerk", "wrong-password")
    assert dialog.login is None and "用户名或密码不对" in dialog.message.text() and "再错 4 次" in dialog.message.text()
    assert dialog.password.text() == ""
    _log_in(qtbot, dialog, "clerk", users.DEMO_PASSWORD)
    assert dialog.result() == LoginDialog.DialogCode.Accepted and dialog.login.actor.name == "王芳"


def test_log_in_refused_an_action_then_approved_as_another_user(qtbot, county, monkeypatch):
    def clerk_logs_in(dialog):
        _log_in(qtbot, dialog, "clerk", users.DEMO_PASSWORD)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", clerk_logs_in)
    clerk = log_in(county, "本机数据库")
    window = MainWindow(AppContext(db=county, actor=clerk))
    qtbot.addWidget(window)
    window.show()
    assert window.user_label.text() == "操作人：王芳（经办人）"
    assert "用户管理" not in window.page_titles()

    errors: list[str] = []
    monkeypatch.setattr("app.ui.planning.plans_page.show_error", lambda parent, exc, details="": errors.append(str(exc)))
    monkeypatch.setattr(PlanDatesDialog, "exec", lambda self: 1)
    monkeypatch.setattr(PlanDatesDialog, "chosen", lambda self: (date(2026, 1, 20), None))
    page = window.open_page("计划与任务")
    page.plan_table.setCurrentIndex(page.plan_model.index(0, 0))
    page.approve_button.click()
    assert errors == ["“王芳”没有审核人权限，不能进行此操作。"]
    assert plans.get_plan(county, page.plans[0].id).approved_on is None

    def reviewer_logs_in(dialog):
        _log_in(qtbot, dialog, "reviewer", users.DEMO_PASSWORD)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", reviewer_logs_in)
    assert window.switch_user()
    assert window.user_label.text() == "操作人：李局长（审核人）"
    page.plan_table.setCurrentIndex(page.plan_model.index(0, 0))
    page.approve_button.click()
    assert len(errors) == 1
    plan = plans.get_plan(county, page.plans[0].id)
    assert plan.approved_on == date(2026, 1, 20) and plan.status_text == "已批准，待公示"
    _settle(qtbot)


def test_the_first_start_creates_the_administrator(qtbot, sqlite_database, monkeypatch):
    def first_start(dialog):
        type_text(dialog.username, "zhangsan")
        type_text(dialog.name, "张三")
        type_text(dialog.password, "short")
        type_text(dialog.again, "short")
        dialog.ok_button.click()
        assert "至少 8 位" in dialog.message.text()
        for field in (dialog.password, dialog.again):
            field.clear()
            type_text(field, "zhangsan-2026")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(FirstAdminDialog, "exec", first_start)
    admin = log_in(sqlite_database, "本机数据库")
    assert admin.name == "张三" and admin.roles_text == "管理员、经办人"
    assert users.login(sqlite_database, "zhangsan", "zhangsan-2026").actor == admin


def test_the_demo_logs_in_as_its_clerk_without_asking(sqlite_database, monkeypatch):
    users.create_demo_accounts(sqlite_database)
    monkeypatch.setattr(LoginDialog, "exec", lambda self: pytest.fail("the demo must not ask"))
    assert log_in(sqlite_database, "示例县", demo=True).username == "clerk"


def test_a_reset_password_must_be_changed_before_the_window_opens(qtbot, county, monkeypatch):
    admin = users.login(county, "admin", users.DEMO_PASSWORD).actor
    users.reset_password(county, admin, "clerk", "temporary1")

    def login(dialog):
        _log_in(qtbot, dialog, "clerk", "temporary1")
        return dialog.result()

    def change(dialog):
        assert "重置" in dialog.intro.text()
        for field, text in ((dialog.old, "temporary1"), (dialog.new, "clerk-own-pw"), (dialog.again, "clerk-own-pw")):
            type_text(field, text)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", login)
    monkeypatch.setattr(login_dialog.ChangePasswordDialog, "exec", change)
    assert log_in(county, "本机数据库").name == "王芳"
    assert not users.login(county, "clerk", "clerk-own-pw").must_change_password


def test_the_users_page_adds_an_account_and_shows_every_state(qtbot, county, monkeypatch):
    admin = users.login(county, "admin", users.DEMO_PASSWORD).actor
    window = MainWindow(AppContext(db=county, actor=admin, demo=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    _settle(qtbot)
    page = window.open_page("用户管理")
    assert isinstance(page, UsersPage) and page.table.rowCount() == 4

    def add(dialog):
        type_text(dialog.username, "zhaoliu")
        type_text(dialog.name, "赵六")
        assert dialog.roles.roles() == [Role.CLERK]  # offered ticked
        dialog.roles.boxes[Role.REVIEWER].setChecked(True)
        type_text(dialog.password, "first-pass")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(AddUserDialog, "exec", add)
    page.add_button.click()
    shown = {page.table.item(r, 0).text(): [page.table.item(r, c).text() for c in range(4)]
             for r in range(page.table.rowCount())}
    assert shown["zhaoliu"] == ["zhaoliu", "赵六", "经办人、审核人", "启用，下次登录须改密码"]
    monkeypatch.setattr("app.ui.accounts.users_page.QMessageBox.question",
                        lambda *a: QMessageBox.StandardButton.Yes)
    page.select("reviewer")
    page.deactivate_button.click()
    assert [r.active for r in users.list_users(county) if r.username == "reviewer"] == [False]
    assert page.table.item(2, 3).text() == "已停用" and not page.deactivate_button.isEnabled()

    make_application()  # the program's style sheet, as users see it
    folder = Path(os.environ.get("SSJ_SCREENSHOTS") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.select("zhaoliu")
    QApplication.processEvents()
    window.grab().save(str(folder / "users-page.png"))
    login = LoginDialog(county, window.context.database_description)
    qtbot.addWidget(login)
    login.username.setText("clerk")
    login.password.setText("wrong")
    login.ok_button.click()
    login.show()
    QApplication.processEvents()
    login.grab().save(str(folder / "login-dialog.png"))
    assert (folder / "users-page.png").stat().st_size > 0
    _settle(qtbot)

