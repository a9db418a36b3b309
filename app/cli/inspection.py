"""`forms check-tables` and `results …`: the 检查表 of a drawn task, and its results (PRODUCT.md §2 G)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import acting_user, open_db, print_json
from app.services.errors import UserError
from app.services.inspection import forms, records, sheet
from app.services.inspection.sheet_import import import_sheet

#: who acts from the command line until accounts can log in there: a clerk (entering, never reviewing)


def register(commands) -> None:
    form = commands.add_parser("forms", help="检查用表：打印抽取任务的随机抽查检查表")
    form_sub = form.add_subparsers(dest="forms_command", metavar="子命令", required=True)
    tables = form_sub.add_parser("check-tables", help="一个任务的随机抽查检查表合成一个 .docx（每户一份，带二维码）")
    tables.add_argument("--task", type=int, required=True, metavar="ID", help="任务编号（tasks list 中的 ID）")
    tables.add_argument("--out", required=True, metavar="FILE.docx")
    tables.add_argument("--inspections", metavar="ID,ID…", help="只打印这些检查记录（默认：全部）")
    tables.set_defaults(handler=print_check_tables)

    results = commands.add_parser("results", help="检查结果：导出、导入结果表，列出结果")
    sub = results.add_subparsers(dest="results_command", metavar="子命令", required=True)
    out = sub.add_parser("sheet", help="导出任务的检查结果表（.xlsx，供检查组在 Excel/WPS 中填写）")
    out.add_argument("--task", type=int, required=True, metavar="ID")
    out.add_argument("--out", required=True, metavar="FILE.xlsx")
    out.set_defaults(handler=export_sheet)
    imp = sub.add_parser("import", help="导入填好的结果表（有错则整表不导入，并指出行和列）")
    imp.add_argument("file", metavar="FILE.xlsx")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    imp.set_defaults(handler=import_results)
    listing = sub.add_parser("list", help="列出任务的检查记录及结果")
    listing.add_argument("--task", type=int, required=True, metavar="ID")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出（每个检查记录一个对象）")
    listing.set_defaults(handler=list_results)


def _ids(text: str | None) -> list[int] | None:
    if not text:
        return None
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if not all(p.isdecimal() for p in parts):
        raise UserError(f"--inspections 应为用逗号分隔的检查记录号，例如 12,15：{text}")
    return [int(p) for p in parts]


def print_check_tables(args: argparse.Namespace) -> int:
    count = forms.print_check_tables(open_db(args), args.task, args.out, _ids(args.inspections))
    print(f"已生成随机抽查检查表 {count} 份到 {args.out}")
    return 0


def export_sheet(args: argparse.Namespace) -> int:
    count = sheet.export_sheet(open_db(args), args.task, args.out)
    print(f"已导出 {count} 个检查对象的结果表到 {args.out}")
    return 0


def import_results(args: argparse.Namespace) -> int:
    db = open_db(args)
    result = import_sheet(db, acting_user(args, db), args.file)
    if args.json:
        print_json(result.to_json())
    else:
        print(result.summary())
    if not args.json:
        for issue in result.errors[:30]:
            print(f"  第 {issue.row} 行「{issue.column}」：{issue.message}", file=sys.stderr)
        if len(result.errors) > 30:
            print(f"  …… 另有 {len(result.errors) - 30} 处错误。", file=sys.stderr)
    return 0 if result.committed else 2


def list_results(args: argparse.Namespace) -> int:
    db = open_db(args)
    rows = records.list_inspections(db, args.task)
    if args.json:
        details = [records.get_inspection(db, row.id) for row in rows]
        print_json([{
            "id": d.row.id, "subject_code": d.row.subject_code, "subject_name": d.row.subject_name,
            "status": d.row.status, "team": d.row.team, "leader": d.row.leader,
            "inspected_on": d.row.inspected_on, "methods": list(d.methods), "categories": list(d.categories),
            "handling": {"follow_ups": list(d.follow_ups), "rectify_by": d.rectify_by, "handed_to": d.handed_to,
                         "handed_on": d.handed_on, "copied_to": d.copied_to},
            "closed": d.row.closed_on is not None, "closed_on": d.row.closed_on,
            "items": [{"name": i.name, "result": i.category, "finding": i.finding, "handling": i.handling}
                      for i in d.items],
            "replaced_reason": d.row.replaced_reason, "returned_reason": d.row.returned_reason,
        } for d in details])
        return 0
    for row in rows:
        day = f"{row.inspected_on:%Y-%m-%d}" if row.inspected_on else "—"
        print(f"{row.id:>6}  {row.status:<4}  {row.subject_code:<18}  {row.subject_name}  {row.team}  {day}  "
              f"{row.result or '—'}  {row.handling}")
    return 0
