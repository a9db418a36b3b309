"""Opening a sheet of an xlsx/xls/xlsb/ods workbook or a CSV file as a stream of rows.

Rows come from python-calamine's iterator (or the csv module), one list of cell values per
row, numbered as Excel numbers them. Every way a file can be unusable ends in a
``TabularError`` whose message tells the clerk what to do, raised before any row is yielded
(the one exception: a CSV whose encoding changes part-way, found when that row is reached).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine

from app.tabular.errors import TabularError
from app.tabular.xlsx_scan import CELL_BUDGET, SheetScan, TooLarge, scan_sheet, sheet_parts

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_SNIFF_BYTES = 1 << 20
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")

Merge = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based, inclusive)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class SheetSource:
    """One sheet, ready to stream. ``rows`` yields (Excel row number, cells); cell 0 is column A."""

    path: Path
    sheet_name: str
    sheet_names: list[str]
    merges: list[Merge] = field(default_factory=list)
    _rows: Iterator[tuple[int, list]] | None = None
    height: int = 0  # rows in the sheet, header and title rows included; 0 when unknown (CSV)
    scan: SheetScan = field(default_factory=SheetScan)  # formula and error cells (xlsx only)

    def rows(self) -> Iterator[tuple[int, list]]:
        if self._rows is None:
            raise RuntimeError("rows() can be iterated only once")
        rows, self._rows = self._rows, None
        return rows


def open_sheet(path: str | os.PathLike, sheet: str | None = None) -> SheetSource:
    """Open ``sheet`` of ``path`` (default: the first sheet that has any data)."""
    path = Path(path)
    if not path.is_file():
        raise TabularError(f"找不到文件“{path}”：请确认文件还在原处，没有被移动或删除。")
    try:
        return _open(path, sheet)
    except OSError:
        raise TabularError(
            f"无法打开“{path.name}”：文件可能正在 Excel 或 WPS 中打开，或没有读取权限。请关闭该文件后再试。"
        ) from None


def sheet_names(path: str | os.PathLike) -> list[str]:
    """The worksheets of a workbook (a CSV file has one, named after the file), without reading them."""
    path = Path(path)
    if not path.is_file():
        raise TabularError(f"找不到文件“{path}”：请确认文件还在原处，没有被移动或删除。")
    with path.open("rb") as fh:
        head = fh.read(8)
    workbook = head.startswith((_ZIP_MAGIC, _OLE_MAGIC))
    if not workbook and path.suffix.lower() in CSV_SUFFIXES and path.stat().st_size:
        return [path.stem]
    if not workbook or (head.startswith(_OLE_MAGIC) and _has_encrypted_package(path)):
        return _open(path, None).sheet_names  # raises the message for what the file is instead
    try:
        with path.open("rb") as fh:
            return list(calamine.CalamineWorkbook.from_filelike(io.BytesIO(fh.read())).sheet_names)
    except calamine.PasswordError:
        raise _encrypted(path.name) from None
    except (calamine.CalamineError, OSError):
        raise _not_a_workbook(path.name, False) from None


def _open(path: Path, sheet: str | None) -> SheetSource:
    name = path.name
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8)
    if path.stat().st_size == 0:
        raise TabularError(f"“{name}”是空文件（0 字节）：请重新导出或选择其他文件。")
    if suffix in CSV_SUFFIXES and not head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _open_csv(path, sheet)
    if suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
        raise TabularError(
            f"不支持“{suffix or '无扩展名'}”文件“{name}”：请选择 Excel 工作簿（.xlsx、.xls）或 CSV 文件。"
        )
    if head.startswith(_OLE_MAGIC) and _has_encrypted_package(path):
        raise _encrypted(name)
    if not head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise _not_a_workbook(name, _looks_like_html(path))
    return _open_workbook(path, sheet, suffix, head)


def _open_workbook(path: Path, sheet: str | None, suffix: str, head: bytes) -> SheetSource:
    name = path.name
    # calamine picks its reader by extension; a workbook saved under the wrong extension
    # (an .xls renamed .xlsx is common) is opened by content instead.
    matches = head.startswith(_OLE_MAGIC) == (suffix == ".xls")
    try:
        if matches:
            workbook = calamine.CalamineWorkbook.from_path(str(path))
        else:
            with path.open("rb") as fh:
                workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
        names = list(workbook.sheet_names)
        guard = _SizeGuard(path, head, names)
        if sheet is not None:
            if sheet not in names:
                shown = "、".join(f"“{n}”" for n in names)
                raise TabularError(f"“{name}”中没有名为“{sheet}”的工作表。该文件的工作表有：{shown}，请重新选择。")
            guard.check(sheet)
            chosen = workbook.get_sheet_by_name(sheet)
        else:
            chosen = _first_sheet_with_data(workbook, names, guard)
            if chosen is None:
                raise TabularError(f"“{name}”中没有数据：所有工作表都是空的。请确认选择了正确的文件。")
        merges = _merges(chosen)
        rows = _calamine_rows(chosen)
    except calamine.PasswordError:
        raise _encrypted(name) from None
    except calamine.CalamineError:
        raise _not_a_workbook(name, False) from None
    return SheetSource(path, chosen.name, names, merges, rows, chosen.height, guard.scans.get(chosen.name, SheetScan()))


class _SizeGuard:
    """Scans an xlsx sheet before calamine loads it (see xlsx_scan): a sheet whose cells span
    too many rows × columns is refused instead of killing the process."""

    def __init__(self, path: Path, head: bytes, names: list[str]) -> None:
        self.path = path
        self.zip = head.startswith(_ZIP_MAGIC) and path.suffix.lower() != ".ods"
        self.scans: dict[str, SheetScan] = {}

    def check(self, sheet: str) -> None:
        if not self.zip or sheet in self.scans:
            return
        try:
            with zipfile.ZipFile(self.path) as archive:
                part = sheet_parts(archive).get(sheet)
                if part is None or part not in archive.NameToInfo:
                    return  # calamine reports a broken workbook in its own words
                self.scans[sheet] = scan_sheet(archive, part)
        except TooLarge as exc:
            raise TabularError(
                f"“{self.path.name}”的工作表“{sheet}”过大：在单元格 {exc.far_cell} 处还有内容，"
                f"使表格范围达到 {exc.rows:,} 行 × {exc.columns:,} 列，超出本程序一次能读取的 {CELL_BUDGET:,} 个单元格。"
                "请在 Excel 或 WPS 中删除数据区域以外的行和列（或把数据复制到新工作簿）后再导入。") from None
        except (zipfile.BadZipFile, ValueError):
            return  # calamine reports a broken workbook in its own words


def _first_sheet_with_data(workbook, names: list[str], guard: _SizeGuard):
    """The first visible worksheet with data (exports often hide a code-list sheet first)."""
    worksheets = [i for i, meta in enumerate(workbook.sheets_metadata) if meta.typ == calamine.SheetTypeEnum.WorkSheet]
    visible = [i for i in worksheets if workbook.sheets_metadata[i].visible == calamine.SheetVisibleEnum.Visible]
    for index in visible + [i for i in worksheets if i not in visible]:
        guard.check(names[index])
        candidate = workbook.get_sheet_by_index(index)
        if candidate.height:
            return candidate
    return None


def _merges(sheet) -> list[Merge]:
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or ())]


def _calamine_rows(sheet) -> Iterator[tuple[int, list]]:
    """calamine's iterator pads leading empty rows but starts at the first used column."""
    start = sheet.start
    pad = [""] * (start[1] if start else 0)
    if pad:
        return ((n, pad + row) for n, row in enumerate(sheet.iter_rows(), 1))
    return enumerate(sheet.iter_rows(), 1)


def _has_encrypted_package(path: Path) -> bool:
    """An encrypted .xlsx is an OLE container holding an "EncryptedPackage" stream."""
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_SNIFF_BYTES):
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED_STREAM) :]
    return False


def _looks_like_html(path: Path) -> bool:
    with path.open("rb") as fh:
        start = fh.read(2048).lower()
    return b"<html" in start or b"<table" in start or b"<!doctype" in start


def _encrypted(name: str) -> TabularError:
    return TabularError(
        f"“{name}”设置了打开密码，无法读取。请在 Excel 或 WPS 中用密码打开它，"
        "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清空密码并保存，然后再导入。"
    )


def _not_a_workbook(name: str, html: bool) -> TabularError:
    if html:
        return TabularError(
            f"“{name}”的内容是网页（HTML）表格，不是真正的 Excel 工作簿。"
            "请用 Excel 或 WPS 打开它，“另存为” Excel 工作簿（.xlsx）后再导入。"
        )
    return TabularError(
        f"无法读取“{name}”：它不是有效的 Excel 工作簿，可能已损坏（例如下载或复制没有完成）或只是改了扩展名。"
        "请用 Excel 或 WPS 打开确认，另存为 .xlsx 后再导入。"
    )


def _open_csv(path: Path, sheet: str | None) -> SheetSource:
    sheet_name = path.stem
    if sheet is not None and sheet != sheet_name:
        raise TabularError(f"“{path.name}”是 CSV 文件，只有一张表，没有名为“{sheet}”的工作表。")
    with path.open("rb") as fh:
        sample = fh.read(_SNIFF_BYTES)
    encoding = _csv_encoding(sample, path.name)
    text = _decode_prefix(sample, encoding)
    delimiter = _sniff_delimiter(text)
    return SheetSource(path, sheet_name, [sheet_name], [], _csv_rows(path, encoding, delimiter))


def _csv_encoding(sample: bytes, name: str) -> str:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        _decode_prefix(sample, "utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        start = sample.rfind(b"\n", 0, exc.start) + 1
        if not sample[:start].isascii():  # UTF-8 text up to there, then something else
            raise _mixed_encoding(name, _record_number(sample[:start].decode("utf-8-sig"))) from None
    try:
        _decode_prefix(sample, "gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    raise TabularError(
        f"无法识别“{name}”的文字编码（既不是 UTF-8 也不是 GBK/GB18030）。"
        "请用 Excel 或 WPS 打开后另存为“CSV UTF-8”或 .xlsx 再导入。"
    )


def _record_number(text_before: str) -> int:
    """The row (as Excel numbers it) that starts after ``text_before``: a quoted cell may span lines."""
    return sum(1 for _ in csv.reader(io.StringIO(text_before))) + 1


def _mixed_encoding(name: str, row: int) -> TabularError:
    return TabularError(
        f"“{name}”从第 {row} 行起换了一种文字编码（前面是 UTF-8，这里不是）：文件可能是把两个不同来源的文件拼接而成。"
        "请用 Excel 或 WPS 打开，检查该行附近的文字后另存为“CSV UTF-8”或 .xlsx 再导入。")


def _decode_prefix(sample: bytes, encoding: str) -> str:
    """Decode a sample that may end in the middle of a multi-byte character."""
    return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for delimiter in (",", "\t", ";", "|"):
        score = sum(1 for line in lines if delimiter in line)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list]]:
    """Rows numbered as Excel numbers them (a quoted multi-line cell is one row). Lines are
    decoded one by one, so an encoding that changes part-way is reported at its row."""
    if encoding == "utf-16":
        with path.open("r", encoding=encoding, newline="") as fh:
            yield from _parsed(path.name, csv.reader(fh, delimiter=delimiter))
        return
    with path.open("rb") as fh:
        lines = _decoded_lines(fh, encoding)
        yield from _parsed(path.name, csv.reader(lines, delimiter=delimiter))


def _decoded_lines(fh, encoding: str) -> Iterator[str]:
    first = True
    for raw in fh:  # "\n" never occurs inside a UTF-8 or GB18030 character
        yield raw.decode(encoding if first else encoding.removesuffix("-sig"))
        first = False


def _parsed(name: str, reader) -> Iterator[tuple[int, list]]:
    number = 0
    try:
        for number, row in enumerate(reader, 1):
            yield number, row
    except UnicodeDecodeError:
        raise _mixed_encoding(name, number + 1) from None
    except csv.Error:
        raise TabularError(f"“{name}”第 {number + 1} 行无法按 CSV 读取（引号不配对或含有空字符）："
                           "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。") from None
