"""`self-test`: open, migrate, write, read back (for frozen builds)."""

from __future__ import annotations

import argparse

from app.cli.common import open_db
from app.config import describe_url
from app.services.selftest import run_self_test


def register(commands) -> None:
    commands.add_parser("self-test", help="自检：打开数据库、升级结构、写入并读回").set_defaults(handler=self_test)


def self_test(args: argparse.Namespace) -> int:
    db = open_db(args)
    result = run_self_test(db)
    print(f"自检通过：{describe_url(db.url)}，结构版本 {result.revision}，用时 {result.seconds:.2f} 秒。")
    print(f"局域网服务器组件：{result.server_component or '未安装（本机只作客户端）'}")
    return 0
