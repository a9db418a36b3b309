"""A look at an xlsx sheet's XML before python-calamine reads it.

calamine turns a sheet into one dense rectangle from its first to its last written cell: a
6 KB workbook with one cell written at XFD1048576 asks for 17 billion cells (512 GiB) and the
process is killed outright, with no exception to catch. So the sheet's XML is streamed once
here, and a sheet whose written cells span more than ``CELL_BUDGET`` cells is refused before
calamine sees it. (A sheet that only *claims* a large size in its <dimension> is fine:
calamine, like this scan, goes by the cells actually written; empty styled cells do not count.)

The same pass finds what calamine hides: a formula cell (calamine gives its cached value, or
"" when the file holds none) and an error cell such as #REF! (calamine gives "").

The common case costs one decompression and one regular-expression pass over the XML (about a
tenth of calamine's own reading time): cells beyond column Z are looked at one by one only
when the sheet has them, and the exact, slower pass runs only for a sheet wide enough that the
budget could be reached (or one that writes cells without their addresses).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.etree import ElementTree

CELL_BUDGET = 30_000_000  # about 1 GB in calamine; 1,048,576 rows × 26 columns (A–Z) stays under it
MAX_ROWS = 1_048_576
_CHUNK = 1 << 22
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,3})\d+"[^>]*(?<!/)><(?:\w+:)?[vfi]')
_ROW = re.compile(rb'<row r="(\d+)"')
_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d+)"([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.DOTALL)
_VALUE = re.compile(rb'<(?:\w+:)?v>([^<]*)</')
# A cell written without r="…" follows the one before it. Excel, WPS, LibreOffice and openpyxl
# always write the address; only the bare <c> is looked for (each search costs a pass over the XML).
_NO_ADDRESS = b"<c>"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class SheetScan:
    """What the scan found. Cells are (Excel row, 0-based column); ``formulas`` maps a formula
    cell to whether the file holds its computed value; ``errors`` maps an error cell to its
    text (#REF!, #DIV/0!, …)."""

    formulas: dict[tuple[int, int], bool] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


class TooLarge(Exception):
    """The sheet's written cells span more than the budget; ``far_cell`` is the farthest one."""

    def __init__(self, rows: int, columns: int, far_cell: str) -> None:
        super().__init__(far_cell)
        self.rows, self.columns, self.far_cell = rows, columns, far_cell


def column_number(letters: bytes | str) -> int:
    """b"A" → 1, b"XFD" → 16384."""
    number = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(ch) - 64
    return number


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the XML part holding it, from xl/workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(_REL_NS) in targets:
            target = targets[sheet.get(_REL_NS)]
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name", "")] = path
    return parts


def scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetScan:
    """Stream one sheet's XML; raises ``TooLarge`` past the budget."""
    scan = SheetScan()
    widest, no_address = 26, False
    for data in _chunks(archive, part):
        for letters in set(_WIDE_CELL.findall(data)):
            widest = max(widest, column_number(letters))
        no_address = no_address or _NO_ADDRESS in data
        if b"<f" in data or b't="e"' in data:
            _formulas_and_errors(data, scan)
    if no_address:
        _exact_extent(archive, part)
    elif widest * MAX_ROWS > CELL_BUDGET:
        tallest = max((int(n) for data in _chunks(archive, part) for n in _ROW.findall(data)), default=0)
        if widest * tallest > CELL_BUDGET:
            _exact_extent(archive, part)
    return scan


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The decompressed XML in pieces that end after a whole row."""
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            data = carry + chunk
            cut = data.rfind(b"</row>")
            if cut < 0:
                carry = data
                continue
            carry = data[cut + 6:]
            yield data[: cut + 6]
    if carry:
        yield carry


def _formulas_and_errors(data: bytes, scan: SheetScan) -> None:
    for letters, row, attributes, body in _CELL.findall(data):
        if not body:
            continue
        cell = (int(row), column_number(letters) - 1)
        value = _VALUE.search(body)
        cached = value.group(1) if value else b""
        if b't="e"' in attributes and cached:
            scan.errors[cell] = cached.decode("utf-8", "replace")
        if b"<f" in body or b":f" in body:
            scan.formulas[cell] = bool(cached)


def _exact_extent(archive: zipfile.ZipFile, part: str) -> None:
    """Count positions as calamine does (a cell without an address follows the one before it)
    and check the span of the cells that hold something."""
    first_row = first_col = None
    last_row = last_col = 0
    row_number = 0
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag != "row":
                continue
            row_number = _row_of(element.get("r"), row_number + 1)
            col = 0
            for cell in element:
                if cell.tag.rsplit("}", 1)[-1] != "c":
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    col = column_number(letters) if letters.isalpha() and letters.isupper() else col + 1
                else:
                    col += 1
                if len(cell):
                    first_row = row_number if first_row is None else min(first_row, row_number)
                    first_col = col if first_col is None else min(first_col, col)
                    last_row, last_col = max(last_row, row_number), max(last_col, col)
            element.clear()
            if first_row is not None and (last_row - first_row + 1) * (last_col - first_col + 1) > CELL_BUDGET:
                raise TooLarge(last_row - first_row + 1, last_col - first_col + 1, _ref(last_row, last_col))


def _row_of(value: str | None, default: int) -> int:
    return int(value) if value and value.isdecimal() else default


def _ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"
