"""Filling .xlsx templates with openpyxl.

Conventions an office can follow in WPS or Excel:

* the first worksheet is the template; any other sheets (填表说明…) are kept;
* a cell holding ``{{ 字段 }}`` is filled; a cell that is exactly one
  placeholder of a number keeps the number (so sums still work);
* a row whose first cell begins with ``{%tr for 行 in 检查结果 %}`` is
  repeated once per element, with ``{{ 行.检查对象 }}`` in its cells;
* each data set becomes one copy of the template sheet (one sheet per month
  for the 月报表), named by the kind's sheet-name field.

Text that Excel or WPS would execute (starting with = + - @, a tab or a carriage return) gets a
leading apostrophe and is stored as text (``app.tabular.writer.neutralise``).
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Mapping, Sequence

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.tabular.writer import neutralise

from .docx_render import Cancelled, Progress, RenderCancelled, partial_file
from .fields import DocumentKind, normalise
from .kinds import get_kind
from .validate import Problem, TemplateProblem, check_source, filling_errors, make_env

_ROW_LOOP = re.compile(r"^\{%-?\s*tr\s+for\s+(\w+)\s+in\s+(\w+)\s*-?%\}")
_SINGLE = re.compile(r"^\{\{(.*?)\}\}$", re.DOTALL)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _is_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _loop_rows(ws: Worksheet) -> dict[int, tuple[str, str]]:
    """{row: (loop variable, list field)} for rows marked with ``{%tr for … %}``."""
    loops = {}
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip():
                m = _ROW_LOOP.match(cell.value.strip())
                if m:
                    loops[cell.row] = (m.group(1), m.group(2))
                break
    return loops


def _shift_rows(ws: Worksheet, first: int, delta: int) -> None:
    """Insert (delta > 0) or delete (delta < 0) rows at ``first``, keeping merges and heights."""
    moved = [r for r in ws.merged_cells.ranges if r.min_row >= first]
    for rng in moved:
        ws.merged_cells.remove(rng)
    heights = {i: d.height for i, d in ws.row_dimensions.items() if i >= first and d.height}
    if delta > 0:
        ws.insert_rows(first, delta)
    else:
        ws.delete_rows(first, -delta)
    for i in heights:
        ws.row_dimensions[i].height = None
    for i, h in heights.items():
        if i + delta >= first:
            ws.row_dimensions[i + delta].height = h
    for rng in moved:
        if delta < 0 and rng.min_row < first - delta:
            continue  # the range lay in the deleted rows
        rng.shift(0, delta)
        ws.merged_cells.add(rng)


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or "Sheet"
    title, n = base, 1
    while title in used:
        n += 1
        suffix = f"({n})"
        title = base[:31 - len(suffix)] + suffix
    used.add(title)
    return title


class XlsxForm:
    """An .xlsx template of one kind, checked when loaded."""

    def __init__(self, kind: str | DocumentKind, path: str | os.PathLike):
        self.kind = get_kind(kind)
        self.path = Path(path)
        self._source = self.path.read_bytes()
        self._env = make_env(autoescape=False)
        self._compiled: dict[str, Any] = {}
        self.check()

    def _open(self):
        return load_workbook(io.BytesIO(self._source))

    def check(self) -> None:
        name = self.path.name
        try:
            ws = self._open().worksheets[0]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
            raise TemplateProblem(name, [Problem(
                "文件", "", f"无法作为 Excel 工作簿（.xlsx）打开：{exc}。请用 WPS 或 Excel "
                "“另存为 .xlsx”后再放回，或恢复默认模板。")]) from None
        loops = _loop_rows(ws)
        problems: list[Problem] = []
        for row in ws.iter_rows():
            for cell in row:
                if not _is_template(cell.value):
                    continue
                text = cell.value
                loop = loops.get(cell.row)
                if loop:
                    text = _ROW_LOOP.sub("", text.strip())
                    text = f"{{% for {loop[0]} in {loop[1]} %}}{text}{{% endfor %}}"
                where = f"工作表“{ws.title}”的 {cell.coordinate} 单元格"
                problems += check_source(self.kind, where, text)
        if problems:
            raise TemplateProblem(name, problems)

    def _value(self, text: str, ctx: Mapping[str, Any]) -> Any:
        single = _SINGLE.match(text.strip())
        if single and "{{" not in single.group(1):
            key = "expr:" + single.group(1)
            if key not in self._compiled:
                self._compiled[key] = self._env.compile_expression(single.group(1))
            value = self._compiled[key](**ctx)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            return "" if value is None else str(value)
        if text not in self._compiled:
            self._compiled[text] = self._env.from_string(text)
        return self._compiled[text].render(ctx)

    def _fill_row(self, ws: Worksheet, row: int, ctx: Mapping[str, Any]) -> None:
        for cell in ws[row]:
            if not _is_template(cell.value):
                continue
            value = neutralise(self._value(_ROW_LOOP.sub("", cell.value.strip()), ctx))
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text

    def _fill_sheet(self, ws: Worksheet, ctx: Mapping[str, Any]) -> None:
        # Fixed rows first, then loop rows bottom-up: filled values are never
        # read as template text again, however many braces a company name has.
        loops = _loop_rows(ws)
        for row in range(1, ws.max_row + 1):
            if row not in loops:
                self._fill_row(ws, row, ctx)
        for row in sorted(loops, reverse=True):
            var, field = loops[row]
            items = ctx.get(field) or []
            if not items:
                _shift_rows(ws, row, -1)
                continue
            if len(items) > 1:
                _shift_rows(ws, row + 1, len(items) - 1)
                for i in range(1, len(items)):
                    ws.row_dimensions[row + i].height = ws.row_dimensions[row].height
                    for src in ws[row]:
                        dst = ws.cell(row + i, src.column, src.value)
                        dst._style = src._style
            for i, item in enumerate(items):
                self._fill_row(ws, row + i, {**ctx, var: item})

    def render(self, data: Mapping[str, Any], out: str | os.PathLike) -> Path:
        return self.render_batch([data], out)

    def render_batch(self, items: Sequence[Mapping[str, Any]], out: str | os.PathLike,
                     progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> Path:
        """One worksheet per data set, in one workbook."""
        if not items:
            raise ValueError("没有要生成的报表（数据为空）。")
        wb = self._open()
        template = wb.worksheets[0]
        used = {ws.title for ws in wb.worksheets[1:]}
        name_field = self.kind.sheet_name_field
        with filling_errors(self.path.name):
            for i, data in enumerate(items):
                if cancelled is not None and cancelled():
                    raise RenderCancelled()
                ctx = normalise(self.kind.fields, data, for_xlsx=True)
                ws = wb.copy_worksheet(template)
                wb.move_sheet(ws, offset=-(len(wb.worksheets) - 1 - i))
                ws.title = _sheet_title(str(ctx.get(name_field) or f"{template.title}{i + 1}"), used)
                ws.sheet_view.tabSelected = i == 0
                self._fill_sheet(ws, ctx)
                if progress is not None:
                    progress(i + 1, len(items))
        wb.remove(template)
        wb.active = 0
        with partial_file(out) as tmp:
            wb.save(tmp)
        return Path(out)
