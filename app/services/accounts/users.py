"""Accounts: the first administrator, login with lockout, passwords, and the 用户管理 work.

Users are deactivated, never deleted, so every old record keeps a real name behind it.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import User
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require
from app.services.accounts.passwords import MIN_LENGTH, check_password, hash_password
from app.services.errors import UserError

MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=5)
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{1,50}$")
FIRST_ADMIN_ROLES = (Role.ADMIN, Role.CLERK)  # one person often sets up the county alone

DEMO_PASSWORD = "demo1234"
DEMO_ACCOUNTS = (  # username, real name, roles
    ("admin", "张管理", (Role.ADMIN,)),
    ("clerk", "王芳", (Role.CLERK,)),
    ("reviewer", "李局长", (Role.REVIEWER,)),
    ("jijian", "周纪检", (Role.SUPERVISOR,)),
)


class LoginFailed(UserError):
    """Wrong name or password, a locked or a deactivated account."""


def this_pc() -> str:
    return platform.node() or "本机"


@dataclass(frozen=True)
class Login:
    actor: Actor
    must_change_password: bool


@dataclass(frozen=True)
class UserRow:
    username: str
    name: str
    roles: tuple[Role, ...]
    active: bool
    must_change_password: bool
    locked_until: datetime | None

    @property
    def roles_text(self) -> str:
        return "、".join(role.value for role in self.roles)


def _roles(values: Iterable[str]) -> tuple[Role, ...]:
    wanted = {Role(v) for v in values}
    return tuple(role for role in Role if role in wanted)


def _actor(user: User, pc: str) -> Actor:
    return Actor(user.username, user.display_name, frozenset(_roles(user.roles)), pc)


def _check_password_rule(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise UserError(f"密码至少 {MIN_LENGTH} 位。")


def _check_new_account(session: Session, username: str, name: str, roles: Iterable[Role]) -> None:
    if not USERNAME.match(username):
        raise UserError("用户名只能由英文字母、数字和 . _ - 组成（1 至 50 位），如 wangfang。")
    if not name.strip() or len(name.strip()) > 50:
        raise UserError("请填写真实姓名（不超过 50 字）：它会出现在记录、文书和审计日志上。")
    if not list(roles):
        raise UserError("请至少选择一个角色。")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise UserError(f"用户名“{username}”已被使用（停用的账户也保留其用户名）。")


def has_accounts(db: Database) -> bool:
    with db.session() as session:
        return bool(session.scalar(select(func.count()).select_from(User)))


def create_first_admin(db: Database, username: str, name: str, password: str, pc: str = "") -> Actor:
    """The first start on an empty database: the administrator (also 经办人), nobody logged in yet."""
    _check_password_rule(password)
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise UserError("数据库中已有账户，管理员须由已有的管理员添加。")
        _check_new_account(session, username, name, FIRST_ADMIN_ROLES)
        user = User(username=username, display_name=name.strip(), roles=[r.value for r in FIRST_ADMIN_ROLES],
                    password_hash=hash_password(password))
        session.add(user)
        session.flush()
        actor = _actor(user, pc or this_pc())
        audit.record(session, actor, "建立管理员账户", "user", username,
                     {"姓名": user.display_name, "角色": user.roles}, role=Role.ADMIN.value)
        return actor


def create_demo_accounts(db: Database, pc: str = "") -> dict[str, Actor]:
    """The sample county's four accounts (password demo1234), only in a database without accounts."""
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise UserError("数据库中已有账户，不能再生成示例账户。")
        actors = {}
        for username, name, roles in DEMO_ACCOUNTS:
            user = User(username=username, display_name=name, roles=[r.value for r in roles],
                        password_hash=hash_password(DEMO_PASSWORD))
            session.add(user)
            actors[username] = _actor(user, pc or this_pc())
        session.flush()
        audit.record(session, actors["admin"], "生成示例账户", "user", "",
                     {"账户": [f"{u}（{n}，{'、'.join(r.value for r in rs)}）" for u, n, rs in DEMO_ACCOUNTS]},
                     role=Role.ADMIN.value)
        return actors


def login(db: Database, username: str, password: str, pc: str = "", now: datetime | None = None) -> Login:
    """Check the password; five wrong ones in a row lock the account for five minutes."""
    now = now or datetime.now()
    failure = ""
    with db.session() as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            failure = "用户名或密码不对。"
        elif not user.active:
            failure = "该账户已停用，请联系管理员。"
        elif user.locked_until is not None and user.locked_until > now:
            failure = f"密码连续输错 {MAX_FAILURES} 次，账户已锁定，请于 {user.locked_until:%H:%M} 以后再试。"
        elif not check_password(password, user.password_hash):
            user.failed_logins += 1
            left = MAX_FAILURES - user.failed_logins
            if left > 0:
                failure = f"用户名或密码不对（再错 {left} 次将锁定 5 分钟）。"
            else:
                user.failed_logins, user.locked_until = 0, now + LOCK_TIME
                failure = f"密码连续输错 {MAX_FAILURES} 次，账户锁定 5 分钟，请于 {user.locked_until:%H:%M} 以后再试。"
                audit.record(session, _actor(user, pc or this_pc()), "账户锁定", "user", user.username,
                             {"原因": f"密码连续输错 {MAX_FAILURES} 次"}, role="")
        else:
            user.failed_logins, user.locked_until = 0, None
            return Login(_actor(user, pc or this_pc()), user.must_change_password)
    raise LoginFailed(failure)  # after the block, so the failure count is committed


def change_password(db: Database, actor: Actor, old: str, new: str) -> None:
    _check_password_rule(new)
    if new == old:
        raise UserError("新密码不能与原密码相同。")
    with db.session() as session:
        user = _get(session, actor.username)
        if not check_password(old, user.password_hash):
            raise UserError("原密码不对。")
        user.password_hash, user.must_change_password = hash_password(new), False
        audit.record(session, actor, "修改密码", "user", user.username, {}, role="")


def list_users(db: Database) -> list[UserRow]:
    with db.session() as session:
        return [UserRow(u.username, u.display_name, _roles(u.roles), u.active, u.must_change_password,
                        u.locked_until) for u in session.scalars(select(User).order_by(User.id))]


def add_user(db: Database, actor: Actor, username: str, name: str, roles: Iterable[Role], password: str) -> None:
    """A new account with a first password the person must change at the first login."""
    require(actor, Role.ADMIN)
    roles = _roles(roles)
    _check_password_rule(password)
    with db.session() as session:
        _check_new_account(session, username, name, roles)
        session.add(User(username=username, display_name=name.strip(), roles=[r.value for r in roles],
                         password_hash=hash_password(password), must_change_password=True))
        audit.record(session, actor, "新增账户", "user", username,
                     {"姓名": name.strip(), "角色": [r.value for r in roles]})


def set_roles(db: Database, actor: Actor, username: str, roles: Iterable[Role]) -> None:
    require(actor, Role.ADMIN)
    roles = _roles(roles)
    if not roles:
        raise UserError("请至少选择一个角色；不再工作的人请“停用”。")
    with db.session() as session:
        user = _get(session, username)
        if Role.ADMIN not in roles:
            _keep_an_admin(session, user)
        before = list(user.roles)
        user.roles = [r.value for r in roles]
        audit.record(session, actor, "修改角色", "user", username,
                     {"姓名": user.display_name, **audit.changes({"角色": before}, {"角色": user.roles})})


def reset_password(db: Database, actor: Actor, username: str, new_password: str) -> None:
    """An administrator sets a new password, which the person must change at the next login."""
    require(actor, Role.ADMIN)
    _check_password_rule(new_password)
    with db.session() as session:
        user = _get(session, username)
        user.password_hash, user.must_change_password = hash_password(new_password), True
        user.failed_logins, user.locked_until = 0, None
        audit.record(session, actor, "重置密码", "user", username, {"姓名": user.display_name})


def deactivate(db: Database, actor: Actor, username: str) -> None:
    require(actor, Role.ADMIN)
    with db.session() as session:
        user = _get(session, username)
        if not user.active:
            raise UserError(f"账户“{username}”已经停用。")
        if user.username == actor.username:
            raise UserError("不能停用自己正在使用的账户。")
        _keep_an_admin(session, user)
        user.active = False
        audit.record(session, actor, "停用账户", "user", username, {"姓名": user.display_name})


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise UserError(f"没有用户名为“{username}”的账户。")
    return user


def _keep_an_admin(session: Session, leaving: User) -> None:
    if Role.ADMIN.value not in leaving.roles:
        return
    others = [u for u in session.scalars(select(User).where(User.active, User.id != leaving.id))
              if Role.ADMIN.value in u.roles]
    if not others:
        raise UserError("这是最后一个启用的管理员账户：请先让另一个账户成为管理员。")
