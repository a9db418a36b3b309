"""The program itself: `db upgrade|current`, `audit verify [--head SEQ:HASH]`, `self-test`."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import database_url, open_db
from app.config import describe_url
from app.services.system.database import open_database, schema_status
from app.services.system.overview import audit_status
from app.services.system.selftest import run_self_test


def register(commands) -> None:
    parser = commands.add_parser("db", help="数据库：升级结构、查看版本")
    sub = parser.add_subparsers(dest="db_command", metavar="子命令", required=True)
    sub.add_parser("upgrade", help="把数据库结构升级到最新版本").set_defaults(handler=upgrade)
    sub.add_parser("current", help="显示数据库地址和结构版本").set_defaults(handler=current)

    parser = commands.add_parser("audit", help="审计日志")
    sub = parser.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    verify_parser = sub.add_parser("verify", help="校验审计日志的哈希链，输出当前链头（序号:哈希）")
    verify_parser.add_argument("--head", metavar="SEQ:HASH",
                               help="先前记下的链头（见抽取过程记录、验证包）：核对它之前的记录未被删除或改写")
    verify_parser.set_defaults(handler=verify_audit)

    commands.add_parser("self-test", help="自检：打开数据库、升级结构、写入并读回").set_defaults(handler=self_test)


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


def verify_audit(args: argparse.Namespace) -> int:
    report = audit_status(open_db(args), args.head)
    print(report.head)
    if report.ok:
        anchored = f"，包含先前记下的链头 {args.head.strip()}" if args.head else ""
        print(f"审计日志完整：共 {report.entries} 条记录，哈希链校验通过{anchored}。")
        return 0
    print(f"审计日志被改动：第 {report.broken_seq} 号记录 — {report.problem}。", file=sys.stderr)
    return 1


def self_test(args: argparse.Namespace) -> int:
    db = open_db(args)
    result = run_self_test(db)
    print(f"自检通过：{describe_url(db.url)}，结构版本 {result.revision}，用时 {result.seconds:.2f} 秒。")
    print(f"局域网服务器组件：{result.server_component or '未安装（本机只作客户端）'}")
    return 0
