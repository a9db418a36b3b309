"""`docs`: the 一细则 as .docx, and trying a template out with data from a JSON file."""

from __future__ import annotations

import argparse

from app.cli.common import open_db
from app.documents import DOCUMENT_KINDS
from app.services.rulebooks import versions as rulebooks
from app.services.rulebooks import templates
def register(commands) -> None:
    parser = commands.add_parser("docs", help="文书：导出工作细则、工作指引，用数据试填模板")
    sub = parser.add_subparsers(dest="docs_command", metavar="子命令", required=True)

    rule = sub.add_parser("rulebook", help="导出部门现行的随机抽查工作细则（docx）")
    rule.add_argument("--department", required=True, metavar="部门", help="部门全称或文号简称")
    rule.add_argument("--out", required=True, metavar="FILE.docx")
    rule.set_defaults(handler=export_rulebook)

    guide = sub.add_parser("guides", help="导出部门的随机抽查工作指引（每个事项一张表，docx）")
    guide.add_argument("--department", required=True, metavar="部门", help="部门全称或文号简称")
    guide.add_argument("--out", required=True, metavar="FILE.docx")
    guide.add_argument("--year", type=int, help="适用年度（默认今年）")
    guide.set_defaults(handler=export_guides)

    kinds = "、".join(f"{k.key}（{k.title}）" for k in DOCUMENT_KINDS.values())
    render = sub.add_parser("render", help="用 JSON 数据填写模板，试用改过的模板",
                            description=f"TEMPLATE 可以是文书代码、名称、模板文件名，或改过的 .docx/.xlsx 路径。"
                                        f"文书：{kinds}。JSON 是一个对象（一份）或对象列表（一批，合成一个文件）。")
    render.add_argument("template", metavar="TEMPLATE")
    render.add_argument("--data", required=True, metavar="FILE.json")
    render.add_argument("--out", required=True, metavar="FILE")
    render.add_argument("--kind", choices=list(DOCUMENT_KINDS), help="模板文件名看不出文书种类时指定")
    render.set_defaults(handler=render_template)

    listing = sub.add_parser("templates", help="列出文书模板及其字段（是否已修改）")
    listing.add_argument("--fields", action="store_true", help="同时列出每种文书可用的字段")
    listing.set_defaults(handler=list_templates)


def export_rulebook(args: argparse.Namespace) -> int:
    db = open_db(args)
    dept = rulebooks.find_department(db, args.department)
    draft = rulebooks.get_rulebook(db, dept.id)
    sections = rulebooks.export_rulebook(db, dept.id, args.out)
    which = f"第 {draft.version} 版" if draft.version else "默认文字（尚未保存版本）"
    print(f"已导出《{draft.title}》（{which}，{sections} 节）到 {args.out}")
    return 0


def export_guides(args: argparse.Namespace) -> int:
    db = open_db(args)
    dept = rulebooks.find_department(db, args.department)
    count = rulebooks.export_guides(db, dept.id, args.out, year=args.year)
    print(f"已导出{dept.name}随机抽查工作指引（{count} 个抽查事项）到 {args.out}")
    return 0


def render_template(args: argparse.Namespace) -> int:
    kind, path = templates.resolve_template(args.template, args.kind)
    count = templates.render_from_json(args.template, args.data, args.out, kind=args.kind)
    print(f"已用模板“{path}”生成《{kind.title}》{count} 份到 {args.out}")
    return 0


def list_templates(args: argparse.Namespace) -> int:
    print(f"模板文件夹（改过的模板放在这里）：{templates.user_forms_dir()}")
    for row in templates.list_templates():
        print(f"{row.kind:15} {row.title}（{row.filename}）  {row.status}")
        if args.fields:
            print(DOCUMENT_KINDS[row.kind].describe())
            print()
    return 0
