"""Accounts on both backends: the first administrator, login and lockout, passwords, 用户管理."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.db.models import AuditEntry, User
from app.domain.accounts import Role
from app.services.accounts import NotPermitted, users
from app.services.errors import UserError

NOON = datetime(2026, 11, 23, 12, 0)


@pytest.fixture
def office(database):
    """An office whose administrator 张三 has added the clerk 王芳."""
    admin = users.create_first_admin(database, "zhangsan", "张三", "zhangsan-2026")
    users.add_user(database, admin, "wangfang", "王芳", [Role.CLERK], "first-pass")
    users.change_password(database, users.login(database, "wangfang", "first-pass").actor, "first-pass", "wangfang-pw")
    return database, admin


def _audit_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_the_first_administrator_is_made_once_on_an_empty_database(database):
    assert not users.has_accounts(database)
    with pytest.raises(UserError, match="至少 8 位"):
        users.create_first_admin(database, "admin", "张三", "short")
    with pytest.raises(UserError, match="用户名"):
        users.create_first_admin(database, "张 三", "张三", "long-enough")
    admin = users.create_first_admin(database, "admin", "张三", "long-enough")
    assert admin.name == "张三" and admin.has(Role.ADMIN) and admin.has(Role.CLERK)
    with pytest.raises(UserError, match="已有账户"):
        users.create_first_admin(database, "other", "李四", "long-enough")
    assert users.login(database, "admin", "long-enough").actor == admin


def test_passwords_are_stored_as_salted_scrypt_hashes(office):
    db, admin = office
    users.add_user(db, admin, "lisi", "李四", [Role.CLERK], "wangfang-pw")  # the same password as 王芳's
    with db.session() as s:
        stored = dict(s.execute(select(User.username, User.password_hash)).all())
    assert stored["lisi"] != stored["wangfang"]
    assert all(h.startswith("scrypt$") and "wangfang-pw" not in h for h in stored.values())
    with db.session() as s:
        logged = " ".join(str(e.details) for e in s.scalars(select(AuditEntry)))
    assert "wangfang-pw" not in logged and "first-pass" not in logged


def test_five_wrong_passwords_lock_the_account_for_five_minutes(office):
    db, _ = office
    for attempt in range(4):
        with pytest.raises(users.LoginFailed, match=f"再错 {4 - attempt} 次"):
            users.login(db, "wangfang", "wrong", now=NOON)
    with pytest.raises(users.LoginFailed, match="锁定 5 分钟"):
        users.login(db, "wangfang", "wrong", now=NOON)
    with pytest.raises(users.LoginFailed, match="已锁定.*12:05"):  # even the right password
        users.login(db, "wangfang", "wangfang-pw", now=NOON + timedelta(minutes=4))
    assert users.login(db, "wangfang", "wangfang-pw", now=NOON + timedelta(minutes=5, seconds=1)).actor.name == "王芳"
    with db.session() as s:
        assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first() == "账户锁定"


def test_a_good_login_resets_the_count_of_wrong_passwords(office):
    db, _ = office
    for _ in range(4):
        with pytest.raises(users.LoginFailed):
            users.login(db, "wangfang", "wrong", now=NOON)
    users.login(db, "wangfang", "wangfang-pw", now=NOON)
    with pytest.raises(users.LoginFailed, match="再错 4 次"):
        users.login(db, "wangfang", "wrong", now=NOON)


def test_an_unknown_name_and_a_wrong_password_read_the_same(office):
    db, _ = office
    with pytest.raises(users.LoginFailed, match="用户名或密码不对"):
        users.login(db, "nobody", "whatever")
    with pytest.raises(users.LoginFailed, match="用户名或密码不对"):
        users.login(db, "wangfang", "whatever")


def test_change_password_needs_the_old_one(office):
    db, _ = office
    clerk = users.login(db, "wangfang", "wangfang-pw").actor
    with pytest.raises(UserError, match="原密码不对"):
        users.change_password(db, clerk, "not-it", "new-password")
    with pytest.raises(UserError, match="至少 8 位"):
        users.change_password(db, clerk, "wangfang-pw", "short")
    users.change_password(db, clerk, "wangfang-pw", "new-password")
    with pytest.raises(users.LoginFailed):
        users.login(db, "wangfang", "wangfang-pw")
    assert not users.login(db, "wangfang", "new-password").must_change_password


def test_an_admin_reset_must_be_changed_at_the_next_login_and_unlocks(office):
    db, admin = office
    for _ in range(5):
        with pytest.raises(users.LoginFailed):
            users.login(db, "wangfang", "wrong")
    users.reset_password(db, admin, "wangfang", "temporary1")
    result = users.login(db, "wangfang", "temporary1")
    assert result.must_change_password
    users.change_password(db, result.actor, "temporary1", "only-i-know")
    assert not users.login(db, "wangfang", "only-i-know").must_change_password


def test_new_accounts_must_change_their_first_password(office):
    db, admin = office
    users.add_user(db, admin, "chen", "陈审核", [Role.REVIEWER, Role.SUPERVISOR], "first-pass")
    result = users.login(db, "chen", "first-pass")
    assert result.must_change_password and result.actor.roles == {Role.REVIEWER, Role.SUPERVISOR}
    [row] = [r for r in users.list_users(db) if r.username == "chen"]
    assert row.roles_text == "审核人、监督员"


def test_deactivated_accounts_cannot_log_in_and_are_kept(office):
    db, admin = office
    users.deactivate(db, admin, "wangfang")
    with pytest.raises(users.LoginFailed, match="已停用"):
        users.login(db, "wangfang", "wangfang-pw")
    assert [r.active for r in users.list_users(db) if r.username == "wangfang"] == [False]
    with pytest.raises(UserError, match="已被使用"):
        users.add_user(db, admin, "wangfang", "另一个王芳", [Role.CLERK], "long-enough")


def test_the_last_administrator_cannot_be_removed(office):
    db, admin = office
    with pytest.raises(UserError, match="自己"):
        users.deactivate(db, admin, "zhangsan")
    with pytest.raises(UserError, match="最后一个"):
        users.set_roles(db, admin, "zhangsan", [Role.CLERK])
    users.set_roles(db, admin, "wangfang", [Role.CLERK, Role.ADMIN])
    users.set_roles(db, admin, "zhangsan", [Role.CLERK])
    assert users.login(db, "zhangsan", "zhangsan-2026").actor.roles == {Role.CLERK}


@pytest.mark.parametrize("action", [
    lambda db, actor: users.add_user(db, actor, "x1", "某人", [Role.CLERK], "long-enough"),
    lambda db, actor: users.set_roles(db, actor, "wangfang", [Role.ADMIN]),
    lambda db, actor: users.reset_password(db, actor, "wangfang", "long-enough"),
    lambda db, actor: users.deactivate(db, actor, "wangfang"),
], ids=["add", "roles", "reset", "deactivate"])
def test_only_administrators_manage_accounts(office, action):
    db, _ = office
    clerk = users.login(db, "wangfang", "wangfang-pw").actor
    before = _audit_count(db)
    with pytest.raises(NotPermitted, match="“王芳”没有管理员权限"):
        action(db, clerk)
    assert _audit_count(db) == before


def test_account_changes_are_audited_with_the_administrators_name(office):
    db, admin = office
    users.set_roles(db, admin, "wangfang", [Role.CLERK, Role.REVIEWER])
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (entry.action, entry.actor, entry.role) == ("修改角色", "张三", "管理员")
    assert entry.details["角色"] == [["经办人"], ["经办人", "审核人"]]


def test_demo_accounts_only_in_a_database_without_accounts(database):
    made = users.create_demo_accounts(database)
    assert {u: a.roles_text for u, a in made.items()} == {
        "admin": "管理员", "clerk": "经办人", "reviewer": "审核人", "jijian": "监督员"}
    assert users.login(database, "jijian", users.DEMO_PASSWORD).actor.name == "周纪检"
    with pytest.raises(UserError):
        users.create_demo_accounts(database)
    with pytest.raises(UserError):
        users.create_first_admin(database, "x", "某人", "long-enough")
