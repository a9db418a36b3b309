"""`audit verify [--head SEQ:HASH]`: check the hash chain, print its head, name the first broken entry."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import open_db
from app.services.overview import audit_status


def register(commands) -> None:
    parser = commands.add_parser("audit", help="审计日志")
    sub = parser.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    verify_parser = sub.add_parser("verify", help="校验审计日志的哈希链，输出当前链头（序号:哈希）")
    verify_parser.add_argument("--head", metavar="SEQ:HASH",
                               help="先前记下的链头（见抽取过程记录、验证包）：核对它之前的记录未被删除或改写")
    verify_parser.set_defaults(handler=verify)


def verify(args: argparse.Namespace) -> int:
    report = audit_status(open_db(args), args.head)
    print(report.head)
    if report.ok:
        anchored = f"，包含先前记下的链头 {args.head.strip()}" if args.head else ""
        print(f"审计日志完整：共 {report.entries} 条记录，哈希链校验通过{anchored}。")
        return 0
    print(f"审计日志被改动：第 {report.broken_seq} 号记录 — {report.problem}。", file=sys.stderr)
    return 1
