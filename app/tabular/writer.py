"""Writing xlsx files that are safe to open: every text cell that Excel or WPS would treat as
a formula (or as a DDE/command trigger) is neutralised, and the validation report.

Neutralising follows the usual rule for spreadsheet exports: text beginning with "=", "+",
"-", "@", a tab or a carriage return gets a leading apostrophe and is stored as text. Plain
numbers written as text ("-12.5", "+86") are left alone. ``values.text`` strips the
apostrophe again on import, so an exported file re-imports to the same values.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.domain.characters import visible
from app.tabular.errors import ERROR, SEVERITY_LABELS, Issue
from app.tabular.fields import DIRECTORY_KINDS, directory_fields

_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
HEADER_FONT = Font(bold=True)


def neutralise(value: object) -> object:
    """``value`` as it may safely be written to a cell. Control characters, which openpyxl
    refuses (and imports refuse since), are shown as ⟨U+XXXX⟩, so data stored before can still
    be exported."""
    if isinstance(value, str):
        if not value.isprintable() and ILLEGAL_CHARACTERS_RE.search(value):
            value = visible(value)
        if value.startswith(_DANGEROUS_FIRST) and not _PLAIN_NUMBER.fullmatch(value):
            return "'" + value
    return value


def cell_value(value: object) -> object:
    """A field value as written on export: lists joined with "、", booleans as 是/否."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(v) for v in value)
    if isinstance(value, (int, float, dt.date)):
        return value
    return neutralise(str(value))


def write_table(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence[object]],
                sheet_name: str = "Sheet1", widths: Sequence[int] | None = None) -> int:
    """Stream ``rows`` under a bold ``header`` into a new workbook (write-only: any size).

    Returns the number of data rows written. Dates get a date format.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for index, width in enumerate(widths or (), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, label) for label in header])
    count = 0
    for row in rows:
        sheet.append([_data_cell(sheet, value) for value in row])
        count += 1
    workbook.save(os.fspath(path))
    return count


def _header_cell(sheet, label: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise(label))
    cell.font = HEADER_FONT
    return cell


def _data_cell(sheet, value: object):
    value = cell_value(value)
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def export_directory(path: str | os.PathLike, kind: str, records: Iterable[dict]) -> int:
    """Write subjects or inspectors (dicts keyed by field name) with this program's headers,
    so the file maps itself when imported again. Returns the number of rows written."""
    specs = directory_fields(kind)
    header = [spec.label for spec in specs]
    names = [spec.name for spec in specs]
    rows = ([record.get(name) for name in names] for record in records)
    widths = [24 if spec.name in ("name", "address", "credit_code") else 14 for spec in specs]
    return write_table(path, header, rows, DIRECTORY_KINDS[kind], widths)


def write_validation_report(path: str | os.PathLike, issues: Iterable[Issue], *, source: str = "",
                            sheet: str = "", rows: int = 0, valid: int = 0, rejected: int = 0) -> None:
    """The report a clerk fixes the file from: a summary sheet, then one line per issue,
    in row order, with the Excel row number, the column header and the cell's value."""
    ordered = sorted(issues, key=lambda i: (i.row, i.severity != ERROR))
    errors = sum(1 for i in ordered if i.severity == ERROR)
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("说明")
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 60
    for label, value in (
        ("导入文件", source),
        ("工作表", sheet),
        ("数据行数", rows),
        ("可导入行数", valid),
        ("有错误的行数", rejected),
        ("错误", errors),
        ("警告", len(ordered) - errors),
        ("生成时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("说明", "有“错误”的行不能导入，请在原文件中改正后重新导入；“警告”的行可以导入，但请核对。"),
    ):
        summary.append([_header_cell(summary, label), neutralise(value)])
    detail = workbook.create_sheet("问题清单")
    for letter, width in zip("ABCDE", (8, 22, 8, 30, 80), strict=True):
        detail.column_dimensions[letter].width = width
    detail.freeze_panes = "A2"
    detail.append([_header_cell(detail, h) for h in ("行号", "列", "级别", "单元格内容", "问题说明")])
    for issue in ordered:
        detail.append([issue.row, neutralise(issue.column), SEVERITY_LABELS[issue.severity],
                       neutralise(issue.value), neutralise(issue.message)])
    workbook.save(os.fspath(path))
