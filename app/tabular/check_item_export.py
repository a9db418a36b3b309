"""Writing the 随机抽查事项清单 back to xlsx in the layout the province publishes it in:
a title row, the two-row header with "抽查项目" over 抽查类别 / 抽查事项, and 编制单位,
序号 and 抽查类别 merged down over their items (or the joint list's six columns)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from app.tabular.check_items import JOINT, STANDARD, CheckItemRow, list_layout
from app.tabular.writer import neutralise

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

# (field, header, width); STANDARD's 抽查类别 and 抽查事项 sit under "抽查项目".
_STANDARD = (("department", "编制单位名称", 14), ("seq", "序号", 6), ("category", "抽查类别", 18),
             ("name", "抽查事项", 30), ("target", "检查对象", 22), ("item_class", "事项类别", 12),
             ("methods_text", "检查方式", 18), ("authority", "检查主体", 18), ("legal_basis", "检查依据", 50))
_OPTIONAL = (("ratio", "抽查比例", 10), ("frequency", "抽查频次", 10))
_JOINT = (("seq", "序号", 6), ("category", "抽查领域", 20), ("name", "抽查事项", 36), ("target", "检查对象", 24),
          ("lead_departments", "发起部门", 18), ("partner_departments", "配合部门", 24))
_GROUP_PARENT = "抽查项目"


def export_check_item_list(items: Sequence[CheckItemRow], path: str | os.PathLike, title: str | None = None,
                           layout: str | None = None) -> None:
    """Write ``items`` (in the order given) as a published list. ``layout`` is STANDARD or
    JOINT; by default it follows the items (``list_layout``)."""
    layout = layout or list_layout(list(items))
    if layout == JOINT:
        columns = _JOINT
        title = title or "部门联合抽查事项清单"
    elif layout == STANDARD:
        columns = _STANDARD + tuple(c for c in _OPTIONAL if any(getattr(i, c[0]) for i in items))
        title = title or "随机抽查事项清单"
    else:
        raise ValueError(f"unknown layout {layout!r}")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "抽查事项清单"
    width = len(columns)
    sheet.cell(1, 1, neutralise(title)).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = _CENTRE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 40
    first_data = _write_header(sheet, columns, layout)
    for offset, item in enumerate(items):
        for col, (name, _, _) in enumerate(columns, 1):
            cell = sheet.cell(first_data + offset, col, neutralise(getattr(item, name)) or None)
            cell.alignment = _CENTRE if name in ("department", "seq", "category", "item_class") else _TOP_LEFT
            cell.border = _BORDER
    groups = ("seq", "category") if layout == JOINT else ("department", "seq", "category")
    _merge_groups(sheet, items, columns, groups, first_data)
    for col, (_, _, col_width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(col)].width = col_width
    sheet.freeze_panes = sheet.cell(first_data, 1)
    workbook.save(os.fspath(path))


def _write_header(sheet, columns, layout: str) -> int:
    """Header rows; returns the first data row."""
    bold = Font(bold=True)
    if layout == JOINT:
        for col, (_, label, _) in enumerate(columns, 1):
            _header_cell(sheet, 2, col, label, bold)
        return 3
    for col, (name, label, _) in enumerate(columns, 1):
        if name in ("category", "name"):
            _header_cell(sheet, 3, col, label, bold)
            continue
        _header_cell(sheet, 2, col, label, bold)
        _header_cell(sheet, 3, col, None, bold)
        sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    _header_cell(sheet, 2, 3, _GROUP_PARENT, bold)
    _header_cell(sheet, 2, 4, None, bold)
    sheet.merge_cells(start_row=2, start_column=3, end_row=2, end_column=4)
    return 4


def _header_cell(sheet, row: int, col: int, value, font: Font) -> None:
    cell = sheet.cell(row, col, value)
    cell.font = font
    cell.alignment = _CENTRE
    cell.border = _BORDER


def _merge_groups(sheet, items: Sequence[CheckItemRow], columns, groups: tuple[str, ...], first_data: int) -> None:
    """Merge each group column over the run of consecutive items that share it and the
    columns before it (a 序号 run never crosses a change of 编制单位)."""
    positions = {name: col for col, (name, _, _) in enumerate(columns, 1)}
    for depth, name in enumerate(groups):
        key_names = groups[: depth + 1]
        start = 0
        for index in range(1, len(items) + 1):
            if index < len(items) and _key(items[index], key_names) == _key(items[start], key_names):
                continue
            if index - start > 1 and getattr(items[start], name):
                col = positions[name]
                sheet.merge_cells(start_row=first_data + start, start_column=col,
                                  end_row=first_data + index - 1, end_column=col)
            start = index


def _key(item: CheckItemRow, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(getattr(item, n) for n in names)
