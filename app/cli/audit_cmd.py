"""`audit verify`: check the hash chain and name the first broken entry."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import open_db
from app.services.overview import audit_status


def register(commands) -> None:
    parser = commands.add_parser("audit", help="审计日志")
    sub = parser.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    sub.add_parser("verify", help="校验审计日志的哈希链").set_defaults(handler=verify)


def verify(args: argparse.Namespace) -> int:
    report = audit_status(open_db(args))
    if report.ok:
        print(f"审计日志完整：共 {report.entries} 条记录，哈希链校验通过。")
        return 0
    print(f"审计日志被改动：第 {report.broken_id} 号记录 — {report.problem}。", file=sys.stderr)
    return 1
