"""python -m app notices … / archive …: 检查结果告知书, the register, and 一次一档 from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import acting_user, open_db, print_json
from app.services.notices import archive, check, issue
from app.services.notices import register as register_book

#: the command line acts as a clerk of this PC (as the other capability commands do)


def register(commands) -> None:
    notices = commands.add_parser("notices", help="检查结果告知书：出具、打印、作废、核验、登记簿")
    sub = notices.add_subparsers(dest="notices_command", metavar="操作", required=True,
                                 parser_class=type(notices))
    p = sub.add_parser("issue", help="为任务中审核通过的检查记录出具告知书（全部成功或全部不出具）")
    p.add_argument("--task", type=int, required=True, metavar="ID", help="任务 ID")
    p.add_argument("--json", action="store_true", help="以 JSON 输出出具的文号")
    p.set_defaults(handler=_issue)
    p = sub.add_parser("print", help="把任务已出具（未作废）的告知书合并为一个 .docx 以便打印")
    p.add_argument("--task", type=int, required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE.docx")
    p.set_defaults(handler=_print)
    p = sub.add_parser("void", help="作废一份告知书（文号保留、登记为已作废）")
    p.add_argument("number", metavar="文号")
    p.add_argument("--reason", required=True, metavar="原因")
    p.set_defaults(handler=_void)
    p = sub.add_parser("check", help="核验扫描的二维码文字、文号或告知书文件是否与登记簿一致")
    p.add_argument("text", metavar="TEXT", help="二维码文字、文号，或 .docx 文件路径")
    p.set_defaults(handler=_check)
    p = sub.add_parser("register", help="导出某年的发文登记簿（.xlsx）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=_register)

    archives = commands.add_parser("archive", help="一次一档：导出任务档案、核验档案")
    sub = archives.add_subparsers(dest="archive_command", metavar="操作", required=True,
                                  parser_class=type(archives))
    p = sub.add_parser("export", help="每个检查对象一个文件夹，附 manifest.sha256 与 zip")
    p.add_argument("--task", type=int, required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(handler=_archive_export)
    p = sub.add_parser("verify", help="按 manifest.sha256 核验档案，指出被修改或缺少的文件")
    p.add_argument("folder", metavar="DIR")
    p.set_defaults(handler=_archive_verify)



def _issue(args: argparse.Namespace) -> int:
    db = open_db(args)
    issued = issue.issue_notices(db, acting_user(args, db), args.task)
    if args.json:
        print_json([{"id": n.id, "文号": n.number, "检查对象": n.subject, "代码": n.subject_code, "sha256": n.sha256,
                     "二维码": n.qr_text} for n in issued])
    else:
        print(f"已出具 {len(issued)} 份告知书：{issued[0].number} 至 {issued[-1].number}")
    return 0


def _print(args: argparse.Namespace) -> int:
    count = issue.print_notices(open_db(args), args.task, args.out)
    print(f"已把 {count} 份告知书合并到 {args.out}")
    return 0


def _void(args: argparse.Namespace) -> int:
    db = open_db(args)
    issue.void_notice(db, acting_user(args, db), args.number, args.reason)
    print(f"已作废：{args.number}（原因：{args.reason}）")
    return 0


def _check(args: argparse.Namespace) -> int:
    db = open_db(args)
    path = Path(args.text)
    result = check.check_file(db, path) if path.suffix.lower() == ".docx" and path.is_file() \
        else check.check_text(db, args.text)
    print(result.message)
    return 0 if result.matches and not result.voided else 1


def _register(args: argparse.Namespace) -> int:
    count = register_book.export_register(open_db(args), args.year, args.out)
    print(f"已导出 {args.year} 年发文登记簿 {count} 条：{args.out}")
    return 0


def _archive_export(args: argparse.Namespace) -> int:
    result = archive.export_archive(open_db(args), args.task, args.out)
    print(f"已导出 {result.inspections} 户的档案（{result.files} 个文件）：{result.folder}")
    print(f"压缩包：{result.zip}")
    return 0


def _archive_verify(args: argparse.Namespace) -> int:
    passed, lines = archive.verify_archive(args.folder)
    stream = sys.stdout if passed else sys.stderr
    for line in lines:
        print(line, file=stream)
    return 0 if passed else 1
