"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date

from app import config
from app.db.session import Database
from app.domain.accounts import Actor
from app.services.accounts.users import login
from app.services.system.database import open_database
from app.services.errors import UserError

USER_ENV_VAR = "SHUANGSUIJI_USER"
PASSWORD_ENV_VAR = "SHUANGSUIJI_PASSWORD"


def database_url(args: argparse.Namespace) -> str | None:
    return config.requested_database_url(args.db, args.demo)


def date_argument(text: str) -> date:
    """An argparse ``type`` for a YYYY-MM-DD date, refused in Chinese."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效日期，请写成 2026-12-15 的形式") from None


def open_db(args: argparse.Namespace) -> Database:
    return open_database(database_url(args))


def print_json(payload: object) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def waiting_progress():
    """A Progress that tells the command-line user when a long write waits for another one."""
    from app.services.progress import Progress

    shown = set()

    def listen(_done: int, _total: int, label: str) -> None:
        if label.startswith("等待") and label not in shown:
            shown.add(label)
            print(label, file=sys.stderr, flush=True)

    return Progress(listen)


def acting_user(args: argparse.Namespace, db: Database) -> Actor:
    """The account a data-changing command acts as: ``--user`` or SHUANGSUIJI_USER, with the
    password from SHUANGSUIJI_PASSWORD or asked without echo. Read-only commands never call this."""
    username = getattr(args, "user", None) or os.environ.get(USER_ENV_VAR, "")
    if not username:
        raise UserError(f"此命令会修改数据，须以账户身份进行：请加 --user 用户名（或设置环境变量 {USER_ENV_VAR}），"
                        f"密码取自环境变量 {PASSWORD_ENV_VAR}，未设置时会提示输入。")
    password = os.environ.get(PASSWORD_ENV_VAR)
    if password is None:
        if not sys.stdin.isatty():
            raise UserError(f"请在环境变量 {PASSWORD_ENV_VAR} 中给出账户“{username}”的密码（无终端，无法提示输入）。")
        password = getpass.getpass(f"账户“{username}”的密码：")
    result = login(db, username, password)
    if result.must_change_password:
        raise UserError(f"账户“{username}”的密码已由管理员重置，须先修改：请运行 python -m app users passwd --user {username}。")
    return result.actor
