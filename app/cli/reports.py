"""`report monthly`: the 月报表 of a department (or the county 双随机办) as .xlsx, a sheet per month."""

from __future__ import annotations

import argparse

from app.cli.common import open_db
from app.services.reports import monthly


def _months(text: str) -> list[int]:
    """"11", "1-11" or "1,3,5" → the months, each 1–12."""
    try:
        if "-" in text:
            first, last = (int(p) for p in text.split("-", 1))
            months = list(range(first, last + 1))
        else:
            months = [int(p) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是月份，请写成 11、1-11 或 1,3,5") from None
    if not months or any(not 1 <= m <= 12 for m in months):
        raise argparse.ArgumentTypeError(f"“{text}”中的月份应在 1 到 12 之间")
    return months


def register(commands) -> None:
    report = commands.add_parser("report", help="报表：月报表")
    sub = report.add_subparsers(dest="report_command", metavar="子命令", required=True)
    month = sub.add_parser("monthly", help="生成部门“双随机、一公开”监管工作月报表（.xlsx，一月一个工作表）")
    who = month.add_mutually_exclusive_group(required=True)
    who.add_argument("--department", metavar="NAME", help="部门全称，如“青禾县市场监督管理局”")
    who.add_argument("--county", action="store_true", help="县双随机办的月报表（含第 5 项全县本系统情况）")
    month.add_argument("--year", type=int, required=True, metavar="Y")
    month.add_argument("--month", type=_months, required=True, metavar="M",
                       help="月份：11；或 1-11、1,3,5 生成一年中的多个月（每月一个工作表）")
    month.add_argument("--out", required=True, metavar="FILE.xlsx")
    month.set_defaults(handler=monthly_report)


def monthly_report(args: argparse.Namespace) -> int:
    db = open_db(args)
    department = monthly.office_department(db) if args.county else args.department
    out = monthly.write_monthly_workbook(db, department, args.year, args.month, args.out, county=args.county)
    print(f"已生成 {out}：{department} {args.year} 年 " + "、".join(f"{m} 月" for m in args.month) + "。")
    return 0
