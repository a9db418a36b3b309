"""The shipped .xlsx templates: 抽查结果公示表 and the 月报表.

The 月报表 reproduces the attachment of the 馆陶县 2020 实施方案 (seed
001): the same rows, numbering and wording, including its blank rows; a value
cell shows the attachment's bracketed hint until the program fills it.
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from .ooxml import FANGSONG, HEITI, XIAOBIAOSONG

GB2312 = 134  # font charset: tells Excel and WPS the face is Chinese
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _font(name: str = FANGSONG, size: float = 12, bold: bool = False) -> Font:
    return Font(name=name, size=size, bold=bold, charset=GB2312)


def _put(ws: Worksheet, ref: str, value, *, font: Font | None = None,
         align: Alignment = WRAP, border: bool = True, merge_to: str = "") -> None:
    cell = ws[ref]
    cell.value = value
    font = font or _font()
    cell.font = font
    cell.alignment = align
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")
        for row in ws[f"{ref}:{merge_to}"]:
            for c in row:
                if border:
                    c.border = BOX
                c.font = font
    elif border:
        cell.border = BOX


def _a4(ws: Worksheet, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8


def monthly_report() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "月报表"
    for col, width in zip("ABC", (8, 42, 58)):
        ws.column_dimensions[col].width = width
    _put(ws, "A1", "附件", font=_font(HEITI, 16), border=False)
    _put(ws, "A2", "部门“双随机、一公开”监管工作月报表", font=_font(XIAOBIAOSONG, 20),
         align=CENTER, border=False, merge_to="C2")
    _put(ws, "A3", "单位名称（盖章）：{{ 单位名称 }}", border=False, merge_to="B3")
    _put(ws, "C3", '填表时间：{{ 填表年 or "    " }}年{{ 填表月 or "  " }}月{{ 填表日 or "  " }}日',
         border=False)
    section = _font(HEITI, 12)
    _put(ws, "A4", "一、本部门本月“双随机、一公开”监管工作安排部署情况", font=section, merge_to="C4")
    rows = [
        ("1", "本月召开会议部署随机抽查工作情况", "会议情况", "（注明召开会议的名称及时间）（本月）"),
        ("2", "本月印发双随机工作文件情况", "文件情况", "（注明文件名称及文号）（本月）"),
        ("3", "本月组织随机抽查业务培训情况", "培训情况", "（培训班名称、培训人员数量、及内容）（本月）"),
    ]
    for r, (no, label, field, hint) in enumerate(rows, start=5):
        _put(ws, f"A{r}", no, align=CENTER)
        _put(ws, f"B{r}", label)
        _put(ws, f"C{r}", f'{{{{ {field} or "{hint}" }}}}')
    _put(ws, "A8", "二、本部门本月“双随机、一公开”监管工作开展情况", font=section, merge_to="C8")
    _put(ws, "A9", "4", align=CENTER)
    _put(ws, "B9", '本月按年度随机抽查工作计划{{ 本级 or "市" }}本级开展随机抽查情况', merge_to="C9")
    sub = [
        ("本月组织随机抽查的文件", "{{ 抽查文件 }}"),
        ("随机抽查对象范围、数量、抽查比例", "{{ 对象范围数量比例 }}"),
        ("随机抽查的检查事项", '{{ 检查事项情况 or "（多少大项、多少小项）" }}'),
        ("随机抽查结果公示情况", '{{ 公示情况 or "（注明抽查结果公示的网站及公示数量）" }}'),
    ]
    for r, (label, value) in enumerate(sub, start=10):
        _put(ws, f"A{r}", None)
        _put(ws, f"B{r}", label)
        _put(ws, f"C{r}", value)
    _put(ws, "A14", "5", align=CENTER)
    _put(ws, "B14", '全{{ 本级 or "市" }}本系统本月开展随机抽查情况', merge_to="C14")
    _put(ws, "A15", None)
    _put(ws, "B15", '{{ 全系统情况 or "（开展的单位及抽查检查主体数量及抽查结果公示数量等情况）" }}',
         merge_to="C15")
    _put(ws, "A16", "联系人：{{ 联系人 }}　　　联系电话：{{ 联系电话 }}", border=False, merge_to="B16")
    _put(ws, "C16", "手机：{{ 手机 }}", border=False)
    _put(ws, "A17", "审计日志：{{ 审计日志头 }}", border=False, merge_to="C17")
    ws.row_dimensions[2].height = 36
    for r in range(3, 17):
        ws.row_dimensions[r].height = 24 if r in (4, 8, 9, 14, 16) else 40
    ws.row_dimensions[11].height = 60
    ws.row_dimensions[15].height = 48
    _a4(ws, landscape=False)
    return wb


_PUBLICATION_COLUMNS = (
    ("序号", "序号", 6), ("检查对象名称", "检查对象", 30),
    ("统一社会信用代码（注册号）", "统一社会信用代码", 28), ("抽查类型", "抽查类型", 12),
    ("检查事项", "检查事项", 30), ("检查实施机关", "检查实施机关", 20),
    ("检查完成日期", "检查完成日期", 14), ("检查结果", "检查结果", 24), ("后续处置", "后续处置", 16),
)


def publication() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "公示表"
    last = chr(ord("A") + len(_PUBLICATION_COLUMNS) - 1)
    _put(ws, "A1", "{{ 部门名称 }}随机抽查检查结果公示表", font=_font(XIAOBIAOSONG, 18),
         align=CENTER, border=False, merge_to=f"{last}1")
    _put(ws, "A2", "抽查任务：{{ 任务名称 }}（{{ 任务编号 }}）　　公示日期：{{ 公示日期 }}",
         border=False, merge_to=f"{last}2")
    for i, (head, field, width) in enumerate(_PUBLICATION_COLUMNS):
        col = chr(ord("A") + i)
        ws.column_dimensions[col].width = width
        _put(ws, f"{col}3", head, font=_font(HEITI, 12), align=CENTER)
        value = f"{{{{ 行.{field} }}}}"
        if i == 0:
            value = "{%tr for 行 in 检查结果 %}" + value
        _put(ws, f"{col}4", value, align=CENTER if field in ("序号", "抽查类型") else WRAP)
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[3].height = 30
    ws.row_dimensions[4].height = 30
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    _a4(ws, landscape=True)
    return wb


_TASK_HEADS = (("抽查计划编号", 14), ("抽查计划名称", 30), ("抽查任务编号", 22), ("抽查任务名称", 30),
               ("抽查类型", 12), ("抽查机关", 24))


def _import_table(title: str, loop: str, columns: tuple[tuple[str, int], ...]) -> Workbook:
    """An import layout: one header row the platform recognises, one looped row of fields.
    A province with other columns renames, reorders or deletes columns in WPS or Excel."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    var = loop.split()[1]
    for i, (head, width) in enumerate(columns):
        col = ws.cell(1, i + 1).column_letter
        ws.column_dimensions[col].width = width
        _put(ws, f"{col}1", head, font=_font(HEITI, 11), align=CENTER)
        value = f"{{{{ {var}.{head} }}}}"
        _put(ws, f"{col}2", (f"{{%tr {loop} %}}" if i == 0 else "") + value, font=_font(size=11))
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _a4(ws, landscape=True)
    return wb


def list_publication() -> Workbook:
    return _import_table("抽取名单", "for 行 in 名单", (
        ("序号", 6), *_TASK_HEADS, ("检查对象名称", 30), ("统一社会信用代码", 22), ("住所", 30),
        ("检查组", 8), ("检查人员", 36)))


def result_import() -> Workbook:
    return _import_table("抽查结果", "for 行 in 结果", (
        ("序号", 6), *_TASK_HEADS, ("抽查完成日期", 14), ("检查对象名称", 30), ("统一社会信用代码", 22),
        ("检查实施机关", 24), ("类型", 8), ("日期", 12), ("结果", 24), ("检查事项", 30), ("检查事项结果", 24)))


XLSX_FORMS = {"抽查结果公示表.xlsx": publication, "月报表.xlsx": monthly_report,
              "抽取名单公示表.xlsx": list_publication, "抽查结果公示导入表.xlsx": result_import}
