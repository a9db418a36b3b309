"""The field results sheet (.xlsx) a team fills in Excel or WPS: one row per inspection and 检查事项.

The subject's details are locked; the overall result, 后续处置 and dates are written on each
inspection's first row (its later rows hold only the item's own result); drop-down lists offer
the categories in force. ``sheet_import`` reads it back.
"""

from __future__ import annotations

import os
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Row, select

from app.db.models import CheckItem, Inspection, ItemResult, Task
from app.db.session import Database
from app.domain.inspection import FOLLOW_UPS, METHODS, InspectionStatus
from app.services.errors import UserError
from app.services.inspection.categories import categories_in
from app.services.inspection.records import rows_in
from app.services.progress import NO_PROGRESS, Progress
from app.tabular.writer import neutralise

SHEET = "检查结果"
LISTS = "选项"


@dataclass(frozen=True)
class Column:
    name: str
    width: int
    locked: bool = False
    per_inspection: bool = False  # written on the inspection's first row only


COLUMNS = (
    Column("检查记录号", 10, locked=True), Column("被检查单位", 30, locked=True),
    Column("统一社会信用代码/注册号", 22, locked=True), Column("住所", 26, locked=True),
    Column("检查组", 16, locked=True), Column("事项序号", 8, locked=True), Column("检查事项", 30, locked=True),
    Column("状态", 9, locked=True),
    Column("检查日期", 12, per_inspection=True), Column("核查方式", 18, per_inspection=True),
    Column("事项结果", 24), Column("发现问题情况", 28), Column("处置情况", 20),
    Column("检查结果", 26, per_inspection=True), Column("后续处置", 16, per_inspection=True),
    Column("整改期限", 12, per_inspection=True), Column("移送部门", 18, per_inspection=True),
    Column("移送日期", 12, per_inspection=True), Column("抄告部门", 18, per_inspection=True),
    Column("完结日期", 12, per_inspection=True), Column("备注", 20, per_inspection=True),
)
HEADER = tuple(c.name for c in COLUMNS)
INDEX = {c.name: i for i, c in enumerate(COLUMNS)}
DATE_COLUMNS = ("检查日期", "整改期限", "移送日期", "完结日期")

_LOCKED_FILL = PatternFill("solid", fgColor="E8E8E8")


def _joined(values) -> str:
    return "、".join(values)


def export_sheet(db: Database, task_id: int, out: str | os.PathLike, progress: Progress = NO_PROGRESS) -> int:
    """Write the task's sheet; returns the number of inspections in it."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"结果表为 .xlsx 文件，请把文件名改为以 .xlsx 结尾：{out.name}")
    with db.session() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise UserError(f"没有编号为 {task_id} 的任务。")
        live = (Inspection.task_id == task_id) & (Inspection.status != InspectionStatus.REPLACED)
        rows = rows_in(session, live)
        if not rows:
            raise UserError("该任务还没有抽取结果，没有可导出的检查记录。")
        inspections, results = _results(session, live)
        names = dict(session.execute(select(CheckItem.id, CheckItem.name).where(
            CheckItem.id.in_({r.check_item_id for rs in results.values() for r in rs}))).all())
        categories = categories_in(session)
        book, sheet = Workbook(), None
        sheet = book.active
        sheet.title = SHEET
        sheet.append(HEADER)
        for n, row in enumerate(rows):
            if n % 200 == 0:
                progress.step(n, len(rows), "正在写入结果表…")
            inspection = inspections[row.id]
            for k, result in enumerate(results.get(row.id, ()), 1):
                first = k == 1
                values = {
                    "检查记录号": row.id, "被检查单位": row.subject_name, "统一社会信用代码/注册号": row.subject_code,
                    "住所": row.address, "检查组": f"{row.team} {row.leader}".strip(), "事项序号": k,
                    "检查事项": names[result.check_item_id], "状态": row.status,
                    "事项结果": result.result_category, "发现问题情况": result.finding, "处置情况": result.handling,
                }
                if first:
                    values.update({
                        "检查日期": inspection.inspected_on, "核查方式": _joined(inspection.methods),
                        "检查结果": _joined(inspection.categories), "后续处置": _joined(inspection.follow_ups),
                        "整改期限": inspection.rectify_by, "移送部门": inspection.handed_to,
                        "移送日期": inspection.handed_on, "抄告部门": inspection.copied_to,
                        "完结日期": inspection.closed_on, "备注": inspection.note})
                sheet.append([neutralise(values.get(name)) if isinstance(values.get(name), str) else values.get(name)
                              for name in HEADER])
        _format(book, sheet, categories, task.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        book.save(out)
    except PermissionError as exc:
        raise UserError(f"无法写入 {out}：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。") from exc
    return len(rows)


def _results(session, live) -> tuple[dict[int, Row], dict[int, list[Row]]]:
    """The inspections' entered fields and their items in order, read with plain SELECTs (not ORM objects)."""
    inspections = {r.id: r for r in session.execute(
        select(Inspection.id, Inspection.inspected_on, Inspection.methods, Inspection.categories,
               Inspection.follow_ups, Inspection.rectify_by, Inspection.handed_to, Inspection.handed_on,
               Inspection.copied_to, Inspection.closed_on, Inspection.note).where(live))}
    results: dict[int, list[Row]] = {}
    for r in session.execute(select(ItemResult.inspection_id, ItemResult.check_item_id, ItemResult.result_category,
                                    ItemResult.finding, ItemResult.handling)
                             .join(Inspection, ItemResult.inspection_id == Inspection.id).where(live)
                             .order_by(ItemResult.id)):
        results.setdefault(r.inspection_id, []).append(r)
    return inspections, results


def _format(book: Workbook, sheet, categories: tuple[str, ...], task_name: str) -> None:
    """Locked grey subject columns, open result cells, drop-downs, dates, frozen header."""
    last = sheet.max_row
    styles: dict[tuple[bool, bool, bool], StyleArray] = {}

    def style(locked: bool, wrap: bool, day: bool) -> StyleArray:
        """One named style per kind of cell, as the style array a cell holds: copying it into each cell is
        what assigning the style's name does, without looking the name up again for every cell (and far
        cheaper than four attributes a cell)."""
        key = (locked, wrap, day)
        if key not in styles:
            named = NamedStyle(f"ssj_{'locked' if locked else 'open'}{'_wrap' if wrap else ''}{'_date' if day else ''}",
                               alignment=Alignment(vertical="top", wrap_text=wrap),
                               protection=Protection(locked=locked), number_format="yyyy-mm-dd" if day else "General")
            if locked:
                named.fill = _LOCKED_FILL
            book.add_named_style(named)
            styles[key] = named.as_tuple()
        return styles[key]

    number = INDEX["事项序号"] + 1
    first_rows = {r for r in range(2, last + 1) if sheet.cell(r, number).value == 1}
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.cell(1, index).font = Font(bold=True)
        sheet.cell(1, index).fill = _LOCKED_FILL
        wrap, day = column.width >= 20, column.name in DATE_COLUMNS
        on_first, on_others = (style(column.locked, wrap, day),
                               style(column.locked or column.per_inspection, wrap, day))
        for r in range(2, last + 1):
            sheet.cell(r, index)._style = copy(on_first if r in first_rows else on_others)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.formatColumns = False
    lists = book.create_sheet(LISTS)
    for col, (title, values) in enumerate((("检查结果类别", categories), ("核查方式", METHODS),
                                           ("后续处置", FOLLOW_UPS)), 1):
        lists.cell(1, col, title).font = Font(bold=True)
        for r, value in enumerate(values, 2):
            lists.cell(r, col, value)
        lists.column_dimensions[get_column_letter(col)].width = 32
    lists.cell(1, 5, "说明").font = Font(bold=True)
    for r, line in enumerate((
            f"任务：{task_name}", "灰色单元格是检查对象信息，已锁定；只填白色单元格。",
            "检查日期、核查方式、检查结果、后续处置等写在每个检查记录的第一行。",
            "可多选的（核查方式、检查结果、后续处置）用顿号“、”分隔；“未发现问题”不能与其他检查结果同时选择。",
            "事项结果留空即“未发现问题”；未检查的对象整行留空。责令改正须填整改期限，移送须填移送部门和日期。"), 2):
        lists.cell(r, 5, line)
    lists.column_dimensions["E"].width = 90
    lists.protection.sheet = True

    def drop_down(column: str, source_col: str, count: int, several: bool) -> None:
        letter = get_column_letter(INDEX[column] + 1)
        rule = DataValidation(type="list", formula1=f"'{LISTS}'!${source_col}$2:${source_col}${count + 1}",
                              allow_blank=True, showErrorMessage=True,
                              errorStyle="information" if several else "stop",
                              errorTitle="不在选项中", error="请从下拉列表中选择；多选时用顿号“、”分隔。",
                              promptTitle=column, prompt="从下拉列表中选择" + ("，多选用顿号分隔" if several else ""))
        rule.add(f"{letter}2:{letter}{max(last, 2)}")
        sheet.add_data_validation(rule)

    drop_down("事项结果", "A", len(categories), several=False)
    drop_down("检查结果", "A", len(categories), several=True)
    drop_down("核查方式", "B", len(METHODS), several=True)
    drop_down("后续处置", "C", len(FOLLOW_UPS), several=True)
