"""`demo create [--subjects N]`: the sample county in an empty database."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import CLI_ACTOR, open_db
from app.config import describe_url
from app.services.demo import create_demo
from app.services.progress import Progress


def register(commands) -> None:
    parser = commands.add_parser("demo", help="示例县数据")
    sub = parser.add_subparsers(dest="demo_command", metavar="子命令", required=True)
    create = sub.add_parser("create", help="在空数据库中生成示例县（青禾县）")
    create.add_argument("--subjects", type=int, default=3000, metavar="N", help="检查对象数量（默认 3000）")
    create.add_argument("--seed", type=int, default=20261123, help="随机种子（同一种子生成同一个县）")
    create.add_argument("--with-results", action="store_true",
                        help="同时生成近几个月已完成的两个抽查任务（已抽取、已录入检查结果，部分已审核）")
    create.set_defaults(handler=create_command)


def _print_progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{label}", end="", file=sys.stderr, flush=True)


def create_command(args: argparse.Namespace) -> int:
    db = open_db(args)
    create_demo(db, CLI_ACTOR, subjects=args.subjects, seed=args.seed, progress=Progress(_print_progress),
                with_results=args.with_results)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"示例县已生成：{describe_url(db.url)}，检查对象 {args.subjects:,} 户。")
    return 0
