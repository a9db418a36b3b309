"""`tasks list` and `draw run | verify`: drawing from scripts, and checking a package."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import acting_user, open_db, print_json
from app.domain.draw import verify_package
from app.services import draws
from app.services.errors import UserError


def register(commands) -> None:
    tasks = commands.add_parser("tasks", help="抽查任务")
    sub = tasks.add_subparsers(dest="tasks_command", metavar="子命令", required=True)
    listing = sub.add_parser("list", help="列出全部任务及其编号、是否已抽取")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_tasks)

    group = commands.add_parser("draw", help="抽取：非交互抽取、核验验证包")
    sub = group.add_subparsers(dest="draw_command", metavar="子命令", required=True)
    run = sub.add_parser("run", help="不经投影仪界面完成一次抽取（每一步仍记录在案）")
    run.add_argument("--task", type=int, required=True, metavar="ID", help="任务的 id（见 tasks list）")
    run.add_argument("--witness", action="append", required=True, metavar="DIGITS",
                     help="一位见证人的随机数字（可多次给出；合计至少 20 位，开头的 0 有效）")
    run.add_argument("--beacon", default="", metavar="HEX", help="事先公布的公开信标值（十六进制，可不填）")
    run.add_argument("--out", required=True, metavar="DIR", help="验证包保存到的新文件夹（同时生成 DIR.zip）")
    run.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    run.set_defaults(handler=run_draw)
    check = sub.add_parser("verify", help="核验验证包（文件夹或 zip）：重新计算全部结果")
    check.add_argument("package", metavar="DIR")
    check.set_defaults(handler=verify)


def list_tasks(args: argparse.Namespace) -> int:
    states = draws.task_draw_states(open_db(args))
    if args.json:
        print_json({"tasks": [{"id": t.id, "name": t.name, "number": t.number, "year": t.year, "drawn": t.drawn}
                              for t in states]})
        return 0
    if not states:
        print("还没有抽查任务。")
    for t in states:
        state = "已抽取" if t.drawn else (t.draw_status or "未抽取")
        print(f"{t.id:>4}  {t.number or '（无编号）'}  {t.name}  [{state}]")
    return 0


def run_draw(args: argparse.Namespace) -> int:
    for digits in args.witness:
        if not digits.isdigit():
            raise UserError(f"见证人随机数只能是数字：“{digits}”。")
    witnesses = [draws.Witness(f"见证人{i}", "", digits) for i, digits in enumerate(args.witness, start=1)]
    db = open_db(args)
    view, package = draws.run_draw(db, acting_user(args, db), args.task, witnesses, args.beacon, args.out)
    if args.json:
        print_json({"draw": view.id, "task": view.task_id, "seed": view.public["seed"],
                    "subjects": view.result["subjects"], "teams": view.result["teams"],
                    "package": str(package.folder), "zip": str(package.zip)})
    else:
        print(f"抽取完成：任务“{view.task_name}”，种子 {view.public['seed']}")
        print(f"抽中 {len(view.result['subjects'])} 户，{len(view.result['teams'])} 个检查组；验证包：{package.folder}")
    return 0


def verify(args: argparse.Namespace) -> int:
    result = verify_package(args.package)
    for line in result.report:
        print(line)
    if not result.passed:
        print("验证包与重新计算的结果不一致。", file=sys.stderr)
    return 0 if result.passed else 1
