"""Command line: the same services as the GUI.

Each command group lives in its own module with ``register(subparsers)``; a
command function takes the parsed arguments and returns an exit status.
Errors the user can fix exit with status 2 and a Chinese message on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from app import APP_NAME, __version__
from app.services.errors import Cancelled, UserError

# Imported when the parser is built, not with this package: the GUI reads app.cli.common
# without paying for every command's services (start-up time).
COMMAND_MODULES = ["system", "accounts", "demo", "directory", "rulebooks", "draw", "inspection", "notices", "publication",
                   "reports", "server", "backup"]


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 as well
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n请用 --help 查看用法。\n")


class _NotTheGuiStart(Exception):
    """Raised by the quick parser where the full one must read the arguments (and say what is wrong)."""


class _GuiStartParser(ChineseArgumentParser):
    def error(self, message: str) -> None:
        raise _NotTheGuiStart(message)


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="数据库地址，如 postgresql://用户:密码@服务器/库名；默认用本机数据文件夹中的 SQLite",
    )
    parser.add_argument("--demo", action="store_true", help="打开示例县数据（首次自动生成）")
    parser.add_argument("--user", metavar="NAME",
                        help="修改数据的命令以此账户身份进行（也可用环境变量 SHUANGSUIJI_USER）；"
                             "密码取自 SHUANGSUIJI_PASSWORD，未设置时提示输入（不回显）")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="python -m app",
        description=f"{APP_NAME}：县级“双随机、一公开”监管的离线工作台。不带命令时打开图形界面。",
    )
    _add_global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"app.cli.{name}").register(commands)
    return parser


def gui_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a start without a command (the GUI: ``--db``, ``--demo``), read without
    building the commands' parsers, which import every command's services (start-up time).
    None when there is a command, --help or anything else: the full parser reads those."""
    if any(arg in ("-h", "--help") for arg in argv):
        return None
    parser = _GuiStartParser(prog="python -m app", add_help=False)
    _add_global_options(parser)
    parser.set_defaults(command=None)
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotTheGuiStart:
        return None
    return None if rest else args


def run_cli(argv: Sequence[str]) -> int:
    args = gui_arguments(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    if args.command is None:
        from app.ui.app import run_gui

        return run_gui(args)
    try:
        return args.handler(args)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except Cancelled as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断，未做任何更改。", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # output piped into `head`: app/__main__.py ends quietly
    except Exception:  # noqa: BLE001 — the last net: no traceback reaches the clerk
        from app.logs import log_exception

        path = log_exception(*sys.exc_info(), where=f"命令 {args.command}")
        print(f"错误：程序遇到了意外的问题，本次操作没有完成。详细信息已写入日志：{path}\n"
              "请把该文件发给技术支持人员。", file=sys.stderr)
        return 2
