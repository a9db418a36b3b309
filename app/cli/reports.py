"""`report monthly`: the 月报表 of a department (or the county 双随机办) as .xlsx, a sheet per month;
`report due` / `report filed`: what is owed to the 双随机办, and registering it as sent;
`stats`: the year's statistics as JSON or as an xlsx with native charts."""

from __future__ import annotations

import argparse
import json
from datetime import date

from app.cli.common import acting_user, date_argument, open_db, print_json
from app.domain.report_deadlines import ReportKind
from app.services.reports import deadlines, monthly, statistics, statistics_export, summaries


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
    report = commands.add_parser("report", help="报表：月报表、季度和年度总结")
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
    for kind, title in (("quarterly", "季度"), ("annual", "年度")):
        part = sub.add_parser(kind, help=f"生成“双随机、一公开”监管工作{title}总结（.docx，含由数字生成的文字，可在 WPS 中修改）")
        who = part.add_mutually_exclusive_group(required=True)
        who.add_argument("--department", metavar="NAME", help="部门全称")
        who.add_argument("--county", action="store_true", help="全县（各部门合计）")
        part.add_argument("--year", type=int, required=True, metavar="Y")
        if kind == "quarterly":
            part.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4), metavar="Q",
                              help="季度 1–4")
        part.add_argument("--out", required=True, metavar="FILE.docx")
        part.set_defaults(handler=summary_report)
    due = sub.add_parser("due", help="列出应报县双随机办而尚未登记报送的月报表、季度和全年落实情况")
    due.add_argument("--json", action="store_true", help="以 JSON 输出")
    due.add_argument("--today", type=date_argument, default=None, metavar="YYYY-MM-DD", help="按这一天计算（默认今天）")
    due.set_defaults(handler=reports_due)
    filed = sub.add_parser("filed", help="登记报表已报送（经办人或管理员，须 --user 登录）")
    filed.add_argument("--kind", required=True, choices=[k.value for k in ReportKind], help="报表种类")
    filed.add_argument("--year", type=int, required=True, metavar="Y")
    filed.add_argument("--period", type=int, default=0, metavar="N", help="月份 1–12，或季度 1–3；全年落实情况不填")
    filed.add_argument("--department", action="append", required=True, metavar="NAME", help="已报送的部门全称（可多次）")
    filed.add_argument("--on", type=date_argument, default=None, metavar="YYYY-MM-DD", help="报送日期（默认今天）")
    filed.set_defaults(handler=report_filed)
    stats = commands.add_parser("stats", help="年度统计：按月、部门、区域、检查结果（--json 或带图表的 .xlsx）")
    stats.add_argument("--year", type=int, required=True, metavar="Y")
    form = stats.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="以 JSON 输出全部数字")
    form.add_argument("--out", metavar="FILE.xlsx", help="写入 .xlsx（按月、按部门、按检查结果，含图表）")
    stats.set_defaults(handler=year_statistics)


def reports_due(args: argparse.Namespace) -> int:
    owed = deadlines.reports_due(open_db(args), args.today)
    if args.json:
        print_json([{"kind": d.period.kind.value, "year": d.period.year, "period": d.period.period,
                     "label": d.period.label, "due_on": d.period.due_on.isoformat(), "state": d.state.value,
                     "days_left": d.days_left, "departments": [name for _, name in d.departments]} for d in owed])
    elif not owed:
        print("近一个月内没有要报送的报表。")
    for d in [] if args.json else owed:
        print(f"{d.state_text}  {d.period.label}（{d.period.due_on:%Y-%m-%d} 前）：" + "、".join(n for _, n in d.departments))
    return 0


def report_filed(args: argparse.Namespace) -> int:
    db = open_db(args)
    on = args.on or date.today()
    count = deadlines.mark_filed(db, acting_user(args, db), args.kind, args.year, args.period,
                                 deadlines.department_ids(db, args.department), on)
    print(f"已登记 {count} 个部门的{args.kind}（{args.year} 年 {args.period or '全年'}）于 {on:%Y-%m-%d} 报送。")
    return 0


def monthly_report(args: argparse.Namespace) -> int:
    db = open_db(args)
    department = monthly.office_department(db) if args.county else args.department
    out = monthly.write_monthly_workbook(db, department, args.year, args.month, args.out, county=args.county)
    print(f"已生成 {out}：{department} {args.year} 年 " + "、".join(f"{m} 月" for m in args.month) + "。")
    return 0


def summary_report(args: argparse.Namespace) -> int:
    figures = summaries.summary(open_db(args), args.year, getattr(args, "quarter", None),
                                None if args.county else args.department)
    out = summaries.write_summary_docx(figures, args.out)
    print(f"已生成 {out}：{figures.title}（应于 {figures.due_on:%-m月%-d日} 前报送）。")
    return 0


def year_statistics(args: argparse.Namespace) -> int:
    figures = statistics.year_statistics(open_db(args), args.year)
    if args.json:
        print(json.dumps(statistics_export.statistics_json(figures), ensure_ascii=False, indent=1))
        return 0
    if args.out:
        out = statistics_export.write_statistics_workbook(figures, args.out)
        print(f"已生成 {out}：{args.year} 年统计（含按月柱状图、按检查结果堆积柱状图）。")
        return 0
    t = figures.total
    print(f"{args.year} 年：抽取 {t.drawn} 户，已检查 {t.inspected} 户，结果已公示 {t.published} 条"
          f"（完成率 {statistics.percent(t.completion)}），发现问题 {t.problems} 户（问题率 {statistics.percent(t.problem_rate)}），"
          f"后续处置 {t.follow_ups} 户，已完结 {t.closed} 户（完结率 {statistics.percent(t.closure)}），移送 {t.handed} 户；"
          f"检查事项覆盖 {figures.covered_items}/{figures.enabled_items}，超频次对象 {figures.over_cap_count} 户。")
    return 0
