"""`tasks list` and `draw run | resume | export | verify`: drawing from scripts, finishing an
interrupted draw, writing a package again, and checking a package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.domain.statuses import TaskDrawStatus
from app.cli.common import acting_user, open_db, print_json
from app.domain.draw import verify_package
from app.services.draw import ceremony as draws
from app.services.draw import recovery
from app.services.errors import UserError

UNNAMED = "（未署名）"  # a witness given as plain DIGITS
WITNESS_HELP = "一位见证人：姓名:随机数字（也可只写数字，记为未署名；可多次给出；合计至少 20 位，开头的 0 有效）"


def register(commands) -> None:
    tasks = commands.add_parser("tasks", help="抽查任务")
    sub = tasks.add_subparsers(dest="tasks_command", metavar="子命令", required=True)
    listing = sub.add_parser("list", help="列出全部任务及其编号、抽取状态（未抽取 / 抽取中 / 已抽取）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_tasks)

    group = commands.add_parser("draw", help="抽取：非交互抽取、继续中断的抽取、导出和核验验证包")
    sub = group.add_subparsers(dest="draw_command", metavar="子命令", required=True)
    run = sub.add_parser("run", help="不经投影仪界面完成一次抽取（每一步仍记录在案）")
    run.add_argument("--task", type=int, required=True, metavar="ID", help="任务的 id（见 tasks list）")
    run.add_argument("--witness", action="append", required=True, metavar="NAME:DIGITS", help=WITNESS_HELP)
    run.add_argument("--beacon", default="", metavar="HEX", help="事先公布的公开信标值（十六进制，可不填）")
    run.add_argument("--out", required=True, metavar="DIR", help="验证包保存到的新文件夹（同时生成 DIR.zip）")
    run.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    run.set_defaults(handler=run_draw)
    resume = sub.add_parser("resume", help="继续一次中断的抽取（断电、进程被终止），完成后写出验证包")
    resume.add_argument("--task", type=int, required=True, metavar="ID", help="任务的 id（见 tasks list）")
    resume.add_argument("--witness", action="append", default=[], metavar="NAME:DIGITS",
                        help="仅当抽取停在“准备”一步时需要：" + WITNESS_HELP)
    resume.add_argument("--beacon", default="", metavar="HEX", help="仅当抽取停在“准备”一步时：公开信标值")
    resume.add_argument("--out", required=True, metavar="DIR", help="验证包保存到的新文件夹（同时生成 DIR.zip）")
    resume.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    resume.set_defaults(handler=resume_draw)
    export = sub.add_parser("export", help="重新导出已完成抽取的验证包")
    export.add_argument("--task", type=int, required=True, metavar="ID", help="任务的 id（见 tasks list）")
    export.add_argument("--out", required=True, metavar="DIR", help="验证包保存到的新文件夹（同时生成 DIR.zip）")
    export.set_defaults(handler=export_package)
    give_up = sub.add_parser("abandon", help="放弃一次尚未锁定见证人随机数字的抽取（须写明原因）")
    give_up.add_argument("--task", type=int, required=True, metavar="ID", help="任务的 id（见 tasks list）")
    give_up.add_argument("--reason", required=True, metavar="TEXT", help="放弃的原因（列入该任务以后每次抽取的记录）")
    give_up.set_defaults(handler=abandon_draw)
    check = sub.add_parser("verify", help="核验验证包（文件夹或 zip）：重新计算全部结果")
    check.add_argument("package", metavar="DIR")
    check.set_defaults(handler=verify)


def list_tasks(args: argparse.Namespace) -> int:
    states = draws.task_draw_states(open_db(args))
    if args.json:
        print_json({"tasks": [{"id": t.id, "name": t.name, "number": t.number, "year": t.year, "drawn": t.drawn,
                               "state": t.phase, "draw_status": t.draw_status} for t in states]})
        return 0
    if not states:
        print("还没有抽查任务。")
    for t in states:
        state = f"{t.phase}：停在“{t.draw_status}”，可用 draw resume 继续" if t.phase == TaskDrawStatus.DRAWING else t.phase
        print(f"{t.id:>4}  {t.number or '（无编号）'}  {t.name}  [{state}]")
    return 0


def parse_witness(text: str) -> draws.Witness:
    """NAME:DIGITS (a full-width colon too) or plain DIGITS, recorded as unnamed."""
    name, sep, digits = text.replace("：", ":").rpartition(":")
    name = name.strip()
    if sep and not name:
        raise UserError(f"见证人“{text}”的姓名为空：请写成 姓名:数字，或只写数字。")
    if not (digits.isascii() and digits.isdigit()):
        raise UserError(f"见证人随机数只能是数字 0–9：“{text}”。")
    return draws.Witness(name or UNNAMED, "", digits)


def run_draw(args: argparse.Namespace) -> int:
    witnesses = [parse_witness(w) for w in args.witness]
    db = open_db(args)
    view, package = draws.run_draw(db, acting_user(args, db), args.task, witnesses, args.beacon, args.out)
    _report(args, view, package)
    return 0


def resume_draw(args: argparse.Namespace) -> int:
    witnesses = [parse_witness(w) for w in args.witness]
    db = open_db(args)
    view, resumed, package = recovery.resume_draw(db, acting_user(args, db), args.task, args.out, witnesses,
                                                  args.beacon)
    print(f"从“{resumed}”一步继续。")
    _report(args, view, package)
    return 0


def export_package(args: argparse.Namespace) -> int:
    view, package = recovery.export_final(open_db(args), args.task, args.out)
    result = verify_package(package.folder)
    print(f"验证包已导出：{package.folder}（{package.zip}），复算核验{'通过' if result.passed else '不通过'}。")
    return 0 if result.passed else 1


def abandon_draw(args: argparse.Namespace) -> int:
    db = open_db(args)
    view = draws.live_draw(db, args.task)
    if view is None:
        raise UserError(f"任务 {args.task} 没有进行中的抽取可以放弃。")
    draws.abandon(db, acting_user(args, db), view.id, args.reason)
    print(f"已放弃任务“{view.task_name}”的这次抽取，原因已记录，并将列入以后每次抽取的记录。")
    return 0


def _report(args: argparse.Namespace, view: draws.DrawView, package) -> None:
    if args.json:
        print_json({"draw": view.id, "task": view.task_id, "seed": view.public["seed"],
                    "subjects": view.result["subjects"], "teams": view.result["teams"],
                    "package": str(package.folder), "zip": str(package.zip)})
    else:
        print(f"抽取完成：任务“{view.task_name}”，种子 {view.public['seed']}")
        print(f"抽中 {len(view.result['subjects'])} 户，{len(view.result['teams'])} 个检查组；验证包：{package.folder}")


def verify(args: argparse.Namespace) -> int:
    if not Path(args.package).exists():
        raise UserError(f"找不到验证包“{args.package}”：请确认路径是验证包的文件夹或 .zip 文件。")
    result = verify_package(args.package)
    for line in result.report:
        print(line)
    if not result.passed:
        print("验证包与重新计算的结果不一致。", file=sys.stderr)
    return 0 if result.passed else 1
