"""`calendar` (working days: due dates, the office's corrections) and `publish` (what is due,
the publication tables, marking an item published)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import acting_user, date_argument, open_db, print_json
from app.domain.publication import time_left_text
from app.services.publication import calendar, publications, tables



def _days(text: str) -> int:
    if not text.isdecimal() or int(text) > 366:
        raise argparse.ArgumentTypeError(f"“{text}”不是 0 到 366 之间的工作日天数")
    return int(text)


def register(commands) -> None:
    cal = commands.add_parser("calendar", help="工作日：计算期限，更正本单位的上班、休息日")
    sub = cal.add_subparsers(dest="calendar_command", metavar="子命令", required=True)
    due = sub.add_parser("due", help="DATE 之后第 N 个工作日（不含当天）")
    due.add_argument("date", type=date_argument, metavar="DATE")
    due.add_argument("n", type=_days, metavar="N")
    due.set_defaults(handler=calendar_due)
    mark = sub.add_parser("mark", help="把某天标为上班（班）或休息（休），优先于法定安排")
    mark.add_argument("date", type=date_argument, metavar="DATE")
    mark.add_argument("mark", metavar="休|班")
    mark.add_argument("--note", default="", metavar="TEXT", help="说明，如“县政府通知补班”")
    mark.set_defaults(handler=calendar_mark)

    pub = commands.add_parser("publish", help="公示：到期事项、生成公示表、标记已公示")
    sub = pub.add_subparsers(dest="publish_command", metavar="子命令", required=True)
    due = sub.add_parser("due", help="已逾期、3 个工作日内到期和待公示的事项（按部门）")
    due.add_argument("--json", action="store_true", help="以 JSON 输出")
    due.add_argument("--today", type=date_argument, metavar="DATE", help="按哪一天计算（默认今天）")
    due.set_defaults(handler=publish_due)
    export = sub.add_parser("export", help="生成任务的抽取名单或抽查结果公示表（.xlsx 导入格式；.docx 网站公示）")
    export.add_argument("--task", type=int, required=True, metavar="ID")
    export.add_argument("--kind", required=True, metavar="名单|结果")
    export.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.docx")
    export.set_defaults(handler=publish_export)
    mark = sub.add_parser("mark", help="标记公示事项已公示（结果可一次标记多项）")
    mark.add_argument("ids", type=int, nargs="+", metavar="ID")
    mark.add_argument("--on", type=date_argument, required=True, metavar="DATE", help="公示日期")
    mark.add_argument("--where", required=True, metavar="TEXT", help="公示平台名称或网站地址")
    mark.set_defaults(handler=publish_mark)


def calendar_due(args: argparse.Namespace) -> int:
    deadline = calendar.due_date(open_db(args), args.date, args.n)
    print(f"{deadline.due.isoformat()}（星期{'一二三四五六日'[deadline.due.weekday()]}）")
    if deadline.unconfirmed_years:
        print(f"注意：{deadline.warning}，期限按双休日计算；请管理员录入该年安排后再核对。", file=sys.stderr)
    return 0


def calendar_mark(args: argparse.Namespace) -> int:
    db = open_db(args)
    correction = calendar.mark_day(db, acting_user(args, db), args.date, args.mark, args.note)
    print(f"已将 {correction.day} 标为“{correction.mark}”{('（' + correction.note + '）') if correction.note else ''}；"
          "未公示事项的期限已重新计算。")
    return 0


def _payload(item: publications.DueItem) -> dict:
    return {"ids": list(item.ids), "kind": item.kind, "department": item.department, "title": item.title,
            "task_id": item.task_id, "counted_from": item.counted_from, "working_days": item.working_days,
            "due_on": item.due_on, "state": item.state.value, "working_days_left": item.working_days_left,
            "warning": item.warning}


def publish_due(args: argparse.Namespace) -> int:
    grouped = publications.due(open_db(args), args.today)
    if args.json:
        print_json({state.value: [_payload(i) for i in rows] for state, rows in grouped.items()})
        return 0
    for state, rows in grouped.items():
        print(f"【{state.value}】{len(rows)} 项")
        for item in rows:
            left = time_left_text(state, item.working_days_left)
            warning = f"  ⚠ {item.warning}" if item.warning else ""
            print(f"  [{','.join(map(str, item.ids))}] {item.department} {item.kind} {item.title}  "
                  f"期限 {item.due_on}（{left}）{warning}")
    return 0


def publish_export(args: argparse.Namespace) -> int:
    db, out = open_db(args), Path(args.out)
    if out.suffix.lower() == ".docx":
        tables.export_website(db, args.task, args.kind, out)
        print(f"已生成网站公示文稿 {out}")
        return 0
    count = tables.export_table(db, args.task, args.kind, out)
    print(f"已生成{args.kind}公示表 {out}（{count} 行）")
    return 0


def publish_mark(args: argparse.Namespace) -> int:
    db = open_db(args)
    count = publications.mark_published(db, acting_user(args, db), args.ids, args.on, args.where)
    print(f"已标记 {count} 项于 {args.on} 在“{args.where.strip()}”公示。")
    return 0
