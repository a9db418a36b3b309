"""`users add | list | roles | deactivate | reset-password | passwd`: accounts from the command line.

New passwords come from SHUANGSUIJI_NEW_PASSWORD or are asked twice without echo;
they are never taken as an argument (it would stay in the shell history).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.cli.common import PASSWORD_ENV_VAR, USER_ENV_VAR, acting_user, open_db, print_json
from app.domain.accounts import Role
from app.services.accounts import users
from app.services.errors import UserError

NEW_PASSWORD_ENV_VAR = "SHUANGSUIJI_NEW_PASSWORD"
ROLE_NAMES = {"admin": Role.ADMIN, "clerk": Role.CLERK, "reviewer": Role.REVIEWER,
              "supervisor": Role.SUPERVISOR, "reader": Role.READER, **{r.value: r for r in Role}}
ROLE_HELP = "角色：管理员、经办人、审核人、监督员、只读（或 admin/clerk/reviewer/supervisor/reader），可多次给出"


def register(commands) -> None:
    group = commands.add_parser("users", help="账户：新增、列出、角色、停用、重置密码、修改本人密码")
    sub = group.add_subparsers(dest="users_command", metavar="子命令", required=True)
    listing = sub.add_parser("list", help="列出全部账户（无需登录）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_users)
    add = sub.add_parser("add", help="新增账户（管理员）；首次登录须修改密码")
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--name", required=True, help="真实姓名（出现在记录、文书和审计日志上）")
    add.add_argument("--role", action="append", required=True, type=_role, help=ROLE_HELP)
    add.set_defaults(handler=add_user)
    roles = sub.add_parser("roles", help="修改账户的角色（管理员）")
    roles.add_argument("username", metavar="USERNAME")
    roles.add_argument("--role", action="append", required=True, type=_role, help=ROLE_HELP)
    roles.set_defaults(handler=set_roles)
    deactivate = sub.add_parser("deactivate", help="停用账户（管理员；账户不删除，旧记录保留其姓名）")
    deactivate.add_argument("username", metavar="USERNAME")
    deactivate.set_defaults(handler=deactivate_user)
    reset = sub.add_parser("reset-password", help="重置密码（管理员）；该用户下次登录须修改")
    reset.add_argument("username", metavar="USERNAME")
    reset.set_defaults(handler=reset_password)
    passwd = sub.add_parser("passwd", help="修改本人密码（--user 指定账户）")
    passwd.set_defaults(handler=change_password)


def _role(text: str) -> Role:
    try:
        return ROLE_NAMES[text.strip().lower() if text.isascii() else text.strip()]
    except KeyError:
        raise argparse.ArgumentTypeError(f"没有“{text}”这个角色（{ROLE_HELP}）") from None


def _new_password(whose: str) -> str:
    given = os.environ.get(NEW_PASSWORD_ENV_VAR)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UserError(f"请在环境变量 {NEW_PASSWORD_ENV_VAR} 中给出{whose}的新密码（无终端，无法提示输入）。")
    first = getpass.getpass(f"{whose}的新密码（至少 8 位）：")
    if getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致，未做任何更改。")
    return first


def list_users(args: argparse.Namespace) -> int:
    rows = users.list_users(open_db(args))
    if args.json:
        print_json({"users": [{"username": r.username, "name": r.name, "roles": [x.value for x in r.roles],
                               "active": r.active, "must_change_password": r.must_change_password} for r in rows]})
        return 0
    if not rows:
        print("还没有账户：首次打开图形界面时建立管理员，或在空数据库中运行 demo create。")
    for r in rows:
        state = "启用" if r.active else "已停用"
        if r.must_change_password:
            state += "，须修改密码"
        print(f"{r.username:<12} {r.name}  [{r.roles_text}]  {state}")
    return 0


def add_user(args: argparse.Namespace) -> int:
    db = open_db(args)
    actor = acting_user(args, db)
    users.add_user(db, actor, args.username, args.name, args.role, _new_password(f"账户“{args.username}”"))
    print(f"已新增账户 {args.username}（{args.name}，{'、'.join(r.value for r in args.role)}）；首次登录须修改密码。")
    return 0


def set_roles(args: argparse.Namespace) -> int:
    db = open_db(args)
    users.set_roles(db, acting_user(args, db), args.username, args.role)
    print(f"账户 {args.username} 的角色已改为：{'、'.join(r.value for r in args.role)}。")
    return 0


def deactivate_user(args: argparse.Namespace) -> int:
    db = open_db(args)
    users.deactivate(db, acting_user(args, db), args.username)
    print(f"账户 {args.username} 已停用。")
    return 0


def reset_password(args: argparse.Namespace) -> int:
    db = open_db(args)
    actor = acting_user(args, db)
    users.reset_password(db, actor, args.username, _new_password(f"账户“{args.username}”"))
    print(f"账户 {args.username} 的密码已重置；该用户下次登录须修改密码。")
    return 0


def change_password(args: argparse.Namespace) -> int:
    """Works also when an administrator's reset requires the change (``acting_user`` would refuse)."""
    db = open_db(args)
    username = args.user or os.environ.get(USER_ENV_VAR, "")
    if not username:
        raise UserError(f"请用 --user 指定要修改密码的账户（或设置环境变量 {USER_ENV_VAR}）。")
    old = os.environ.get(PASSWORD_ENV_VAR)
    if old is None:
        if not sys.stdin.isatty():
            raise UserError(f"请在环境变量 {PASSWORD_ENV_VAR} 中给出原密码。")
        old = getpass.getpass("原密码：")
    result = users.login(db, username, old)
    users.change_password(db, result.actor, old, _new_password("本人"))
    print("密码已修改。")
    return 0
