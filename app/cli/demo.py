"""`demo create [--subjects N]`: the sample county, with its four accounts, in an empty database."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import acting_user, open_db
from app.config import describe_url
from app.services.accounts.users import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts, has_accounts
from app.services.demo.county import create_demo, is_empty, NOT_EMPTY
from app.services.errors import UserError
from app.services.progress import Progress


def register(commands) -> None:
    parser = commands.add_parser("demo", help="示例县数据")
    sub = parser.add_subparsers(dest="demo_command", metavar="子命令", required=True)
    create = sub.add_parser("create", help="在空数据库中生成示例县（青禾县）和示例账户（密码均为 demo1234）")
    create.add_argument("--subjects", type=int, default=3000, metavar="N", help="检查对象数量（默认 3000）")
    create.add_argument("--seed", type=int, default=20261123, help="随机种子（同一种子生成同一个县）")
    create.add_argument("--with-results", action="store_true",
                        help="同时生成近几个月已完成的两个抽查任务（已抽取、已录入检查结果，部分已审核）")
    create.add_argument("--publications", action="store_true",
                        help="同时生成几个已抽取、已检查的任务，公示事项处于各种状态（按时、逾期、即将到期）")
    create.set_defaults(handler=create_command)


def _print_progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{label}", end="", file=sys.stderr, flush=True)


def accounts_text() -> str:
    return "；".join(f"{username}（{name}，{'、'.join(r.value for r in roles)}）"
                    for username, name, roles in DEMO_ACCOUNTS) + f"，密码均为 {DEMO_PASSWORD}"


def create_command(args: argparse.Namespace) -> int:
    """On a database without accounts no credentials are needed: the demo accounts are made first."""
    db = open_db(args)
    if not is_empty(db):
        raise UserError(NOT_EMPTY)
    made = not has_accounts(db)
    actor = create_demo_accounts(db)["clerk"] if made else acting_user(args, db)
    create_demo(db, actor, subjects=args.subjects, seed=args.seed, progress=Progress(_print_progress),
                with_publications=args.publications, with_results=args.with_results)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"示例县已生成：{describe_url(db.url)}，检查对象 {args.subjects:,} 户。")
    if made:
        print(f"示例账户：{accounts_text()}。")
    return 0
