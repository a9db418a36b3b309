"""`db upgrade` and `db current`."""

from __future__ import annotations

import argparse

from app.cli.common import database_url, open_db
from app.config import describe_url
from app.services.database import open_database, schema_status


def register(commands) -> None:
    parser = commands.add_parser("db", help="数据库：升级结构、查看版本")
    sub = parser.add_subparsers(dest="db_command", metavar="子命令", required=True)
    sub.add_parser("upgrade", help="把数据库结构升级到最新版本").set_defaults(handler=upgrade)
    sub.add_parser("current", help="显示数据库地址和结构版本").set_defaults(handler=current)


def upgrade(args: argparse.Namespace) -> int:
    db = open_db(args)
    current, head = schema_status(db)
    print(f"{describe_url(db.url)}\n结构版本：{current}（已是最新）" if current == head else f"升级到 {head}")
    return 0


def current(args: argparse.Namespace) -> int:
    db = open_database(database_url(args), upgrade=False)
    current_rev, head = schema_status(db)
    state = "最新" if current_rev == head else f"需升级到 {head}"
    print(f"{describe_url(db.url)}\n结构版本：{current_rev or '（空库）'}（{state}）")
    return 0
