"""Reading a subject or inspector directory exported by another system, row by row.

``open_directory`` finds the header, guesses (or takes) the column mapping and then streams
``DirectoryRow``s: normalised field values with the row's Excel number. Validation happens
as rows pass, so a 500,000-row file is checked in one pass; besides the sheet calamine holds,
what is kept is the list of issues and one entry per identifier for the duplicate check.
The import service decides what to do with rows that have errors (all or nothing, or the
valid rows only).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import NamedTuple

from app.domain.characters import forbidden_message, has_breaks, visible, without_breaks
from app.domain.credit_code import CodeKind, inspect_code, is_exact_credit_code
from app.tabular.errors import ERROR, WARNING, Issue, TabularError
from app.tabular.fields import DIRECTORY_KINDS, SUBJECT, directory_fields
from app.tabular.header import HEADER_SCAN_ROWS, AliasIndex, fill_merges, find_header
from app.tabular.mapping import ColumnMapping, guess_mapping, resolve
from app.tabular.source import Merge, column_letter, open_sheet
from app.tabular.values import CONVERTERS, KNOWN_TEXTS, FieldWarning, text

_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
_EMPTY = {"bool": False, "list": None}  # lists get a fresh [] per row


class DirectoryRow(NamedTuple):
    """One data row: ``values`` holds every mapped field (blank cells as None, False or [], or
    as the reader's ``defaults``), plus ``credit_code``/``registration_no`` when an identifier
    was moved between them, plus every other field of ``defaults`` with its default."""

    row: int
    values: dict
    ok: bool


@dataclass
class ImportCounts:
    """``rows`` counts data rows (blank rows are not data); ``rejected`` rows have errors."""

    rows: int = 0
    valid: int = 0
    rejected: int = 0
    errors: int = 0
    warnings: int = 0


@dataclass
class ParsedDirectory:
    """A whole directory file read into memory: for previews, tests and small files."""

    path: str
    kind: str
    sheet_name: str
    header_row: int
    headers: list[str]
    mapping: ColumnMapping
    rows: list[DirectoryRow]
    issues: list[Issue]
    counts: ImportCounts
    truncated: bool = False
    sheet_names: list[str] = field(default_factory=list)
    sample: list[tuple[int, list[str]]] = field(default_factory=list)


def read_directory(path: str | os.PathLike, kind: str = SUBJECT, mapping: ColumnMapping | None = None,
                   sheet: str | None = None, limit: int | None = None) -> ParsedDirectory:
    """Read and validate the whole file (or its first ``limit`` data rows, for a preview)."""
    reader = open_directory(path, kind, mapping, sheet)
    rows: list[DirectoryRow] = []
    truncated = False
    for item in reader:
        if limit is not None and len(rows) >= limit:
            truncated = True
            break
        rows.append(item)
    return ParsedDirectory(str(path), kind, reader.sheet_name, reader.header_row, reader.headers,
                           reader.mapping, rows, reader.issues, reader.counts, truncated, reader.sheet_names,
                           reader.sample)


def open_directory(path: str | os.PathLike, kind: str = SUBJECT, mapping: ColumnMapping | None = None,
                   sheet: str | None = None, defaults: dict | None = None) -> DirectoryReader:
    """Open a directory file for streaming; file-level problems raise ``TabularError`` here.

    ``defaults`` (field → value) start every row's values: what a blank cell of that field, or
    a field the file lacks, comes out as.  An importer passes its columns' defaults, so each
    row comes out complete and ready to write."""
    return DirectoryReader(path, kind, mapping, sheet, defaults)


class DirectoryReader:
    """Iterate once to get the rows; ``issues`` and ``counts`` are complete after that."""

    def __init__(self, path: str | os.PathLike, kind: str, mapping: ColumnMapping | None,
                 sheet: str | None, defaults: dict | None = None) -> None:
        if kind not in DIRECTORY_KINDS:
            raise ValueError(f"unknown directory kind {kind!r}")
        self.kind = kind
        self.defaults = dict(defaults or {})
        source = open_sheet(path, sheet)
        self.sheet_name = source.sheet_name
        self.sheet_names = source.sheet_names
        self.height = source.height  # for planning a large import; 0 when unknown
        self._scan = source.scan
        self._stream = source.rows()
        self._head = [row for _, row in zip(range(HEADER_SCAN_ROWS), self._stream, strict=False)]
        filled = [(number, list(cells)) for number, cells in self._head]
        fill_merges(filled, source.merges)  # a copy: only headers are spread sideways
        extra = {label: name for name, label in mapping.columns.items()} if mapping else None
        header = find_header(filled, AliasIndex(directory_fields(kind), extra))
        if header is None:
            raise TabularError(self._no_header_message(source.path.name))
        self.header_row = header.row
        self.headers = [label or column_letter(i) for i, label in enumerate(header.labels)]
        self.mapping = mapping or guess_mapping(kind, header.labels)
        self._positions = resolve(self.mapping, header.labels)
        self._require_columns()
        self._merges = [m for m in source.merges if m[2] > m[0] and m[2] + 1 > self.header_row]
        # The first rows under the header as the file shows them, for the mapping step's preview.
        self.sample = [(number, [text(c) if c not in ("", None) else "" for c in cells])
                       for number, cells in filled if number > self.header_row]
        self.issues: list[Issue] = []
        self.counts = ImportCounts()

    def _no_header_message(self, name: str) -> str:
        if not any(any(c not in ("", None) for c in cells) for _, cells in self._head):
            return f"“{name}”的工作表“{self.sheet_name}”中没有数据：请确认选择了正确的文件和工作表。"
        words = "“名称”“统一社会信用代码”" if self.kind == SUBJECT else "“姓名”“执法证号”"
        return (f"在“{name}”的工作表“{self.sheet_name}”前 {HEADER_SCAN_ROWS} 行中找不到表头：请确认表格有 {words} "
                f"等列标题，或在列对应设置中指定各列。该文件的工作表有：{'、'.join(self.sheet_names)}。")

    def _require_columns(self) -> None:
        present = "、".join(f"“{h}”" for h in self.headers)
        for spec in directory_fields(self.kind):
            if spec.required and spec.name not in self._positions:
                raise TabularError(
                    f"缺少必需的列“{spec.label}”：请在列对应设置中指定哪一列是{spec.label}。现有列：{present}。")
        if self.kind == SUBJECT and not {"credit_code", "registration_no"} & self._positions.keys():
            raise TabularError(f"缺少“统一社会信用代码”列（或“注册号”列）：没有它无法识别检查对象。现有列：{present}。")

    def __iter__(self) -> Iterator[DirectoryRow]:
        # The per-cell path of a 500,000-row import: plain text fields and fields with a
        # converter get separate loops, with the common case (a str cell) first.
        specs = {spec.name: spec for spec in directory_fields(self.kind)}
        template = self.defaults
        text_fields, converted = [], []
        for name, col in self._positions.items():
            kind = specs[name].kind
            if kind in ("text", "code", "regno"):
                text_fields.append((name, col, template.get(name)))
            else:
                converted.append((name, col, CONVERTERS[kind], self.headers[col],
                                  template.get(name, _EMPTY.get(kind)), kind == "list", KNOWN_TEXTS.get(kind, {})))
        width = max(self._positions.values()) + 1
        name_col = self._positions["name"]
        name_header = self.headers[name_col]
        finish = self._finish_subject if self.kind == SUBJECT else self._finish_inspector
        seen: dict[str, int] = {}
        issues, counts = self.issues, self.counts
        rows = chain((r for r in self._head if r[0] > self.header_row), self._stream)
        if self._merges:
            rows = _fill_vertical(rows, self._merges)
        marks = self._marked_cells()
        for number, cells in rows:
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            if cells[name_col] == name_header:  # the header repeated inside the data
                continue
            values = template.copy()
            blank = True
            errors = 0
            for name, col, empty in text_fields:
                raw = cells[col]
                if raw.__class__ is str:
                    raw = raw.strip()
                    if raw:
                        blank = False
                        if not raw.isprintable():
                            raw, bad = self._screen(number, col, raw)
                            errors += bad
                        values[name] = raw[1:] if raw[0] == "'" and raw.startswith(_NEUTRALISED) else raw
                    else:
                        values[name] = empty
                elif raw is None:
                    values[name] = empty
                else:
                    blank = False
                    values[name] = text(raw)
            for name, col, conv, label, empty, is_list, known in converted:
                raw = cells[col]
                if raw.__class__ is str:
                    raw = raw.strip()
                    if not raw:
                        values[name] = [] if is_list else empty
                        continue
                    if not raw.isprintable():
                        raw, bad = self._screen(number, col, raw, keep_breaks=is_list)
                        if bad:
                            errors += bad
                            blank = False
                            continue
                    value = known.get(raw)
                    if value is not None:
                        values[name] = value
                        blank = False
                        continue
                elif raw is None:
                    values[name] = [] if is_list else empty
                    continue
                blank = False
                try:
                    values[name] = conv(raw)
                except FieldWarning as warning:
                    values[name] = warning.value
                    issues.append(Issue(number, label, warning.message, WARNING, text(raw)))
                except ValueError as exc:
                    values[name] = [] if is_list else empty
                    issues.append(Issue(number, label, str(exc), ERROR, text(raw)))
                    errors += 1
            if number in marks:
                bad = self._report_marks(number, cells, marks[number])
                errors += bad
                blank = blank and not bad
            if blank:
                continue
            errors += finish(number, cells, values, seen)
            counts.rows += 1
            if errors:
                counts.rejected += 1
            else:
                counts.valid += 1
            yield DirectoryRow(number, values, not errors)
        counts.errors = sum(1 for i in issues if i.severity == ERROR)
        counts.warnings = len(issues) - counts.errors

    def _marked_cells(self) -> dict[int, list[tuple[int, str, str]]]:
        """Row → (column, "formula" / "no-value" / "error", error text) for the mapped cells
        below the header that hold a formula or an error (xlsx only; see xlsx_scan)."""
        mapped = set(self._positions.values())
        marks: dict[int, list] = {}
        for (row, col), cached in self._scan.formulas.items():
            if row > self.header_row and col in mapped and (row, col) not in self._scan.errors:
                marks.setdefault(row, []).append((col, "formula" if cached else "no-value", ""))
        for (row, col), shown in self._scan.errors.items():
            if row > self.header_row and col in mapped:
                marks.setdefault(row, []).append((col, "error", shown))
        return marks

    def _report_marks(self, number: int, cells: list, marks: list[tuple[int, str, str]]) -> int:
        errors = 0
        for col, kind, shown in sorted(marks):
            message, severity = formula_message(f"{column_letter(col)}{number}", kind, shown, cells[col])
            self.issues.append(Issue(number, self.headers[col], message, severity, shown or text(cells[col])))
            errors += severity == ERROR
        return errors

    def _screen(self, number: int, col: int, raw: str, keep_breaks: bool = False) -> tuple[str, int]:
        """A cell that is not plain printable text: a control character is an error (it would
        break every later export, and PostgreSQL refuses NUL); line breaks and tabs, which
        Excel writes itself, are taken out with a warning. Returns the value and 1 for an error."""
        message = forbidden_message(raw)
        if message:
            self.issues.append(Issue(number, self.headers[col], message, ERROR, visible(raw)))
            return visible(raw), 1  # the row is not imported; the value only keeps the row's other checks quiet
        if has_breaks(raw) and not keep_breaks:
            cleaned = without_breaks(raw)
            self.issues.append(Issue(number, self.headers[col], "含有换行符或制表符，已删除", WARNING, cleaned))
            return cleaned, 0
        return raw, 0

    def _issue(self, number: int, field_name: str, message: str, severity: str, value: object = "") -> int:
        label = self.headers[self._positions[field_name]] if field_name in self._positions else ""
        self.issues.append(Issue(number, label, message, severity, text(value) if value else ""))
        return 1 if severity == ERROR else 0

    def _finish_subject(self, number: int, cells: list, values: dict, seen: dict[str, int]) -> int:
        """Name required; the identifier checked, moved to the field it belongs in, and unique.

        A 15-digit number in the credit-code column is a 注册号, an 18-character code in the
        注册号 column is a credit code: other systems often keep both in one column.
        """
        errors = 0
        if not values.get("name"):
            errors += self._issue(number, "name", "缺少名称：请填写检查对象（企业、个体户等）的名称", ERROR)
        code, regno = values.get("credit_code"), values.get("registration_no")
        if code and not regno and is_exact_credit_code(code):  # the usual row
            first = seen.setdefault(code, number)
            if first == number:
                return errors
        if code:
            check = inspect_code(code)
            values["credit_code"] = None
            if type(cells[self._positions["credit_code"]]) is float and len(check.code) > 15:
                return errors + self._issue(
                    number, "credit_code", "统一社会信用代码被存成了数字，末尾几位已经丢失：请在原表中把该列设为"
                    "“文本”格式、重新填入代码后再导出", ERROR, code)
            if check.kind is CodeKind.INVALID:
                return errors + self._issue(number, "credit_code", check.message, ERROR, code)
            if check.kind is CodeKind.REGISTRATION_NO:
                regno = regno or check.code
            else:
                values["credit_code"] = check.code
                if not check.check_ok:
                    self._issue(number, "credit_code", check.message, WARNING, code)
        if regno:
            check = inspect_code(regno)
            values["registration_no"] = check.code
            if check.kind is CodeKind.CREDIT_CODE and not values["credit_code"]:
                values["registration_no"] = None
                values["credit_code"] = check.code
                if not check.check_ok:
                    self._issue(number, "registration_no", check.message, WARNING, regno)
            elif check.kind is not CodeKind.REGISTRATION_NO:
                self._issue(number, "registration_no", f"注册号“{regno}”不是15位数字，请核对", WARNING, regno)
        if values.get("credit_code"):
            key, field_name, shown = values["credit_code"], "credit_code", "统一社会信用代码"
        elif values.get("registration_no"):
            key, field_name, shown = values["registration_no"], "registration_no", "注册号"
        else:
            where = "credit_code" if "credit_code" in self._positions else "registration_no"
            return errors + self._issue(
                number, where, "缺少统一社会信用代码或注册号：请至少填写其一，否则无法识别该检查对象", ERROR)
        if field_name not in self._positions:  # a 注册号 found in the credit-code column
            field_name = "credit_code"
        # credit codes are their own key (the fast path above uses them bare); 注册号 are prefixed
        dedup_key = key if field_name == "credit_code" and values.get("credit_code") else f"{shown}:{key}"
        return errors + self._check_duplicate(number, field_name, dedup_key, f"{shown}“{key}”", seen, key)

    def _finish_inspector(self, number: int, cells: list, values: dict, seen: dict[str, int]) -> int:
        """Name required; the 执法证号 (or, without one, the name within the department) unique."""
        name = values.get("name")
        if not name:
            return self._issue(number, "name", "缺少姓名：请填写检查人员的姓名", ERROR)
        cert = values.get("certificate_no")
        if cert:
            return self._check_duplicate(number, "certificate_no", f"cert:{cert}", f"执法证号“{cert}”", seen, cert)
        department = values.get("department") or ""
        shown = f"{department}的“{name}”（无执法证号）" if department else f"“{name}”（无执法证号）"
        return self._check_duplicate(number, "name", f"name:{department}|{name}", shown, seen, name)

    def _check_duplicate(self, number: int, field_name: str, key: str, shown: str, seen: dict[str, int],
                         value: str) -> int:
        first = seen.setdefault(key, number)
        if first == number:
            return 0
        who = "对象" if self.kind == SUBJECT else "人员"
        return self._issue(number, field_name, f"{shown}在第 {first} 行和第 {number} 行重复：同一{who}只能出现一次，"
                           "请删除或合并其中一行", ERROR, value)


def formula_message(cell: str, kind: str, shown: str, value: object) -> tuple[str, str]:
    """The finding for a formula or error cell (shared with the check-item list)."""
    if kind == "error":
        return (f"单元格 {cell} 是公式错误“{shown}”（公式引用的单元格已被删除或无效）：请在原表中改正为实际内容后再导入",
                ERROR)
    if kind == "no-value":
        return (f"单元格 {cell} 是公式，但文件中没有保存它的计算结果（文件可能由其他程序生成、未在 Excel 中保存过）："
                "请在 Excel 或 WPS 中打开并保存后再导入，或把公式改为数值", ERROR)
    return f"单元格 {cell} 是公式，已按文件中保存的计算结果“{text(value)}”导入：请核对是否正确", WARNING


def _fill_vertical(rows, merges: list[Merge]) -> Iterator[tuple[int, list]]:
    """Empty cells under a vertically merged cell take its value (§5: empty cells in merged
    ranges). Only the merge's first column is filled: data is never spread sideways."""
    anchors: dict[int, list[int]] = {}
    fills: dict[int, list[tuple[int, int]]] = {}
    for r0, c0, r1, _ in merges:
        anchors.setdefault(r0 + 1, []).append(c0)
        for number in range(r0 + 2, r1 + 2):
            fills.setdefault(number, []).append((r0 + 1, c0))
    values: dict[tuple[int, int], object] = {}
    for number, cells in rows:
        for col in anchors.get(number, ()):
            values[(number, col)] = cells[col] if col < len(cells) else ""
        for anchor_row, col in fills.get(number, ()):
            if col < len(cells) and cells[col] == "":
                cells[col] = values.get((anchor_row, col), "")
        yield number, cells
