"""`items`, `subjects` and `inspectors`: import and export the 一单两库."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import acting_user, open_db, print_json
from app.services.directory import check_items
from app.services.directory.exports import export_inspectors, export_subjects, write_import_report
from app.services.directory.imports import import_inspectors, import_subjects
from app.services.errors import UserError
from app.tabular import ColumnMapping, TabularError
from app.cli.common import waiting_progress


def register(commands) -> None:
    items = commands.add_parser("items", help="随机抽查事项清单：导入、导出")
    sub = items.add_subparsers(dest="items_command", metavar="子命令", required=True)
    imp = sub.add_parser("import", help="导入省级发布的事项清单（xlsx/xls）")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--reason", default="", help="调整原因，记入每个事项的调整记录")
    imp.add_argument("--sheet", metavar="NAME", help="读取哪张工作表（默认：第一张有数据的工作表）")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    imp.set_defaults(handler=import_items)
    exp = sub.add_parser("export", help="按原格式导出事项清单")
    exp.add_argument("out", metavar="OUT.xlsx")
    exp.add_argument("--list", default="随机抽查事项清单", help="清单名称（默认 随机抽查事项清单）")
    exp.set_defaults(handler=export_items)

    for name, label in (("subjects", "检查对象名录库"), ("inspectors", "执法检查人员名录库")):
        group = commands.add_parser(name, help=f"{label}：导入、导出")
        sub = group.add_subparsers(dest=f"{name}_command", metavar="子命令", required=True)
        imp = sub.add_parser("import", help=f"从 xlsx、xls 或 csv 导入{label}")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--mapping", metavar="FILE.json", help="列对应设置（导入界面可保存）")
        imp.add_argument("--sheet", metavar="NAME", help="读取哪张工作表（默认：第一张有数据的工作表）")
        imp.add_argument("--valid-only", action="store_true", help="有错误时只导入正确的行（默认全部不导入）")
        imp.add_argument("--report", metavar="OUT.xlsx", help="把校验报告写入 xlsx")
        imp.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        imp.set_defaults(handler=import_directory, kind=name)
        exp = sub.add_parser("export", help=f"导出{label}（可再次导入）")
        exp.add_argument("out", metavar="OUT.xlsx")
        exp.set_defaults(handler=export_directory, kind=name)


def import_items(args: argparse.Namespace) -> int:
    db = open_db(args)
    result = check_items.import_check_items(db, acting_user(args, db), args.file, reason=args.reason,
                                            sheet=args.sheet, progress=waiting_progress())
    if args.json:
        print_json({"imported": result.imported, "updated": result.updated, "unchanged": result.unchanged,
                    "rejected": 0, "warnings": len(result.warnings), "errors": [],
                    "warning_list": [{"row": w.row, "column": w.column, "message": w.message}
                                     for w in result.warnings]})
    else:
        for warning in result.warnings:
            print(f"  警告：第 {warning.row} 行「{warning.column}」：{warning.message}", file=sys.stderr)
        print(f"《{result.list_name}》共 {result.total} 项：新增 {result.imported}，更新 {result.updated}，"
              f"未变 {result.unchanged}。" + (f"库中另有 {result.not_in_file} 项不在本文件中（未改动）。"
                                             if result.not_in_file else ""))
    return 0


def export_items(args: argparse.Namespace) -> int:
    count = check_items.export_items(open_db(args), args.out, args.list)
    print(f"已导出 {count} 项到 {args.out}")
    return 0


def _mapping(path: str | None) -> ColumnMapping | None:
    if not path:
        return None
    try:
        return ColumnMapping.from_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"无法读取列对应设置文件 {path}：{exc.strerror}") from exc
    except TabularError as exc:
        raise UserError(str(exc)) from exc


def import_directory(args: argparse.Namespace) -> int:
    importer = import_subjects if args.kind == "subjects" else import_inspectors
    db = open_db(args)
    result = importer(db, acting_user(args, db), args.file, _mapping(args.mapping), valid_only=args.valid_only,
                      sheet=args.sheet, progress=waiting_progress())
    if args.report:
        write_import_report(args.report, args.file, result)
    if args.json:
        print_json(result.to_json())
    else:
        print(result.summary())
        for issue in result.errors[:20]:
            print(f"  第 {issue.row} 行「{issue.column}」：{issue.message}", file=sys.stderr)
        if len(result.errors) > 20:
            print(f"  …… 另有 {len(result.errors) - 20} 处错误，见校验报告（--report）。", file=sys.stderr)
    return 0 if result.committed else 1


def export_directory(args: argparse.Namespace) -> int:
    exporter = export_subjects if args.kind == "subjects" else export_inspectors
    count = exporter(open_db(args), args.out)
    print(f"已导出 {count:,} 行到 {args.out}")
    return 0
