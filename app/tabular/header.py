"""Finding the header row under title rows and blank rows, and matching header words to fields.

Offices' files start with a title ("XX县市场主体名录（2024年）"), a date line or blank rows,
and some have a two-row header where a group label ("抽查项目") sits over its columns.
The header is the row, among the first ``HEADER_SCAN_ROWS``, whose cells name the most
distinct fields; a neighbouring row that also names fields is folded into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.tabular.fields import FieldSpec
from app.tabular.source import Merge

HEADER_SCAN_ROWS = 30
_MAX_SUBSTRING_LABEL = 12  # longer cells are titles or notes, not headers
_PARENS = re.compile(r"[（(][^（()）]*[)）]")
_DROP = str.maketrans("", "", " \t\r\n\u3000\xa0*＊:：/／、,，._-")
# Personal ID numbers are not a field of either directory; without this "法定代表人身份证号"
# would be taken for the 法定代表人 and "身份证号" for the 执法证号.
_NEVER = ("身份证", "身份号码")
# A header ending in one of these is a phone number, whatever it starts with ("负责人电话").
_PHONE_ENDINGS = ("电话", "手机", "手机号", "手机号码", "联系方式")


def normalise_label(text: object) -> str:
    """A header cell reduced to what identifies it: no spaces, marks or "(必填)" remarks."""
    if not isinstance(text, str):
        return "" if text is None else str(text)
    label = _PARENS.sub("", text).translate(_DROP).lower()
    return label.replace("必填", "").replace("选填", "")


class AliasIndex:
    """Header words → field names. Exact matches win; otherwise the longest alias that the
    header contains (so "统一社会信用代码/注册号" is the credit code, not the 注册号)."""

    def __init__(self, fields: Iterable[FieldSpec], extra: dict[str, str] | None = None) -> None:
        self.fields = tuple(fields)
        self._exact: dict[str, str] = {}
        for spec in self.fields:
            for alias in spec.aliases:
                self._exact.setdefault(normalise_label(alias), spec.name)
        for label, name in (extra or {}).items():
            self._exact[normalise_label(label)] = name
        self._by_length = sorted(self._exact.items(), key=lambda kv: -len(kv[0]))
        self._names = {spec.name for spec in self.fields}

    def match(self, cell: object) -> str | None:
        label = normalise_label(cell)
        if not label or any(word in label for word in _NEVER):
            return None
        exact = self._exact.get(label)
        if exact is not None or len(label) > _MAX_SUBSTRING_LABEL:
            return exact
        if label.endswith(_PHONE_ENDINGS) and "phone" in self._names:
            return "phone"
        for alias, name in self._by_length:
            if len(alias) >= 2 and alias in label:
                return name
        return None

    def score(self, row: Sequence) -> int:
        """How many distinct fields the cells of ``row`` name."""
        return len({m for m in map(self.match, row) if m is not None})


@dataclass(frozen=True)
class Header:
    """``row`` is the Excel number of the (last) header row; ``labels`` one per column."""

    row: int
    labels: list[str]


def fill_merges(rows: list[tuple[int, list]], merges: Sequence[Merge]) -> None:
    """Copy each merged range's value into every cell it covers, in place (small row sets)."""
    if not rows or not merges:
        return
    by_number = {number: cells for number, cells in rows}
    for r0, c0, r1, c1 in merges:
        anchor = by_number.get(r0 + 1)
        if anchor is None or c0 >= len(anchor):
            continue
        value = anchor[c0]
        for number in range(r0 + 1, r1 + 2):
            cells = by_number.get(number)
            if cells is None:
                continue
            for col in range(c0, min(c1 + 1, len(cells))):
                if cells[col] == "" or cells[col] is None:
                    cells[col] = value


def find_header(rows: list[tuple[int, list]], index: AliasIndex, min_fields: int = 2) -> Header | None:
    """The header among ``rows`` (already merge-filled), or None when no row names enough fields."""
    scores = [index.score(cells) for _, cells in rows]
    if not scores or max(scores) < min_fields:
        return None
    best = scores.index(max(scores))
    upper, lower = best, best
    if best + 1 < len(rows) and _is_sub_header(rows[best + 1][1], index):
        lower = best + 1
    elif best > 0 and _is_sub_header(rows[best - 1][1], index):
        upper = best - 1
    width = max(len(rows[upper][1]), len(rows[lower][1]))
    labels = []
    for col in range(width):
        low = _text(rows[lower][1], col)
        labels.append(low if low else _text(rows[upper][1], col))
    return Header(rows[lower][0], labels)


def _is_sub_header(cells: list, index: AliasIndex) -> bool:
    """A neighbour row most of whose cells name fields; a title line or a data row does not."""
    filled = [c for c in cells if c not in ("", None)]
    named = sum(1 for c in filled if index.match(c) is not None)
    return len(set(filled)) >= 2 and named * 2 >= len(filled)


def _text(cells: list, col: int) -> str:
    if col >= len(cells) or cells[col] is None:
        return ""
    value = cells[col]
    return (value if isinstance(value, str) else str(value)).strip()
