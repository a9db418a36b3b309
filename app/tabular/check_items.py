"""The 随机抽查事项清单 as provinces publish it (PRODUCT.md §2 A).

Published lists are laid out for printing, not for machines: a title row, a two-row header
("抽查项目" over 抽查类别 / 抽查事项), 编制单位, 序号 and 抽查类别 merged down over their
items, and one item spread over several rows when its 检查依据 or 检查主体 has several
entries. The joint-inspection list (部门联合抽查事项清单) has its own columns: 抽查领域,
发起部门, 配合部门.

An item is a row whose 抽查事项, 检查对象, 事项类别 or 检查方式 cell is written (not merely
covered by a merge from above), or whose 编制单位/序号/抽查类别 starts a new group. Any
other row only continues the item above: its 检查依据 or 检查主体 is appended.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from app.domain.characters import forbidden_message, visible
from app.tabular.directory import formula_message
from app.tabular.errors import ERROR, WARNING, Issue, TabularError
from app.tabular.fields import CHECK_ITEM_FIELDS
from app.tabular.header import HEADER_SCAN_ROWS, AliasIndex, fill_merges, find_header
from app.tabular.source import column_letter, open_sheet
from app.tabular.values import text

STANDARD = "standard"
JOINT = "joint"

_STARTS_ITEM = ("department", "seq", "category", "name", "target", "item_class", "methods")
_APPENDS = ("authority", "legal_basis", "lead_departments", "partner_departments")
_SINGLE_LINE = ("department", "seq", "category", "name", "target", "item_class", "methods", "ratio", "frequency")
_METHOD_SPLIT = re.compile(r"[、，,；;/／\s]+")
_LINE_BREAK = re.compile(r"\s*\n\s*")


@dataclass
class CheckItemRow:
    """One 抽查事项. ``methods`` is the 检查方式 cell as a set (ordered, no duplicates, a
    trailing "等" dropped); ``methods_text`` keeps the cell as published, for export.
    ``row`` and ``last_row`` are the Excel rows the item spans."""

    department: str = ""
    seq: str = ""
    category: str = ""
    name: str = ""
    target: str = ""
    item_class: str = ""
    methods: tuple[str, ...] = ()
    methods_text: str = ""
    authority: str = ""
    legal_basis: str = ""
    lead_departments: str = ""
    partner_departments: str = ""
    ratio: str = ""
    frequency: str = ""
    row: int = 0
    last_row: int = 0

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What identifies the item across editions of the list: re-importing updates the
        item with the same key instead of adding a second one."""
        return (self.department, self.category, self.name, self.target, self.lead_departments)


def split_methods(cell: str) -> tuple[str, ...]:
    """"现场检查、书面检查等" → ("现场检查", "书面检查")."""
    parts = (p.removesuffix("等") for p in _METHOD_SPLIT.split(cell))
    return tuple(dict.fromkeys(p for p in parts if p))


def list_layout(items: list[CheckItemRow]) -> str:
    """JOINT when the items come from a 联合抽查 list (发起部门, no 事项类别/检查依据)."""
    joint = any(i.lead_departments for i in items) and not any(i.item_class or i.legal_basis for i in items)
    return JOINT if joint else STANDARD


@dataclass
class CheckItemFile:
    """A list as read: its items, and what the clerk should know (errors mean: import nothing)."""

    items: list[CheckItemRow]
    issues: list[Issue] = field(default_factory=list)
    sheet_name: str = ""

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity != ERROR]


def read_check_item_list(path: str | os.PathLike, sheet: str | None = None) -> list[CheckItemRow]:
    """Every 抽查事项 of a published list, in file order (findings left out: see read_check_item_file)."""
    return read_check_item_file(path, sheet).items


def read_check_item_file(path: str | os.PathLike, sheet: str | None = None) -> CheckItemFile:
    """Every 抽查事项 of a published list, in file order, with the findings: a formula without a
    saved value, an error cell (#REF!) or a control character is an error; a formula's saved
    value and an item printed twice are warnings."""
    source = open_sheet(path, sheet)
    grid = list(source.rows())
    written = {(n, c) for n, cells in grid for c, v in enumerate(cells) if v not in ("", None)}
    covered = {(r, c) for r0, c0, r1, c1 in source.merges
               for r in range(r0 + 2, r1 + 2) for c in range(c0, c1 + 1)}
    fill_merges(grid, source.merges)
    index = AliasIndex(CHECK_ITEM_FIELDS)
    header = find_header(grid[:HEADER_SCAN_ROWS], index, min_fields=3)
    if header is None:
        raise TabularError(
            f"“{source.path.name}”看起来不是抽查事项清单：前 {HEADER_SCAN_ROWS} 行中找不到“抽查事项”“检查对象”"
            "“检查方式”等列标题。请确认选择了正确的文件和工作表。")
    columns: dict[str, int] = {}
    for col, label in enumerate(header.labels):
        name = index.match(label)
        if name is not None:
            columns.setdefault(name, col)
    if "name" not in columns:
        present = "、".join(f"“{h}”" for h in header.labels if h)
        raise TabularError(f"“{source.path.name}”中找不到“抽查事项”列，无法导入清单。现有列：{present}。")
    labels = {col: header.labels[col] or column_letter(col) for col in columns.values()}
    issues = _formula_findings(source.scan, set(columns.values()), header.row, labels, grid)
    items: list[CheckItemRow] = []
    carry = {"department": "", "seq": "", "category": ""}
    for number, cells in grid:
        if number <= header.row:
            continue
        values = {name: _clean(name, cells[col] if col < len(cells) else "") for name, col in columns.items()}
        for name, col in columns.items():
            message = forbidden_message(values[name])
            if message:
                issues.append(Issue(number, labels[col], message, ERROR, visible(values[name])))
                values[name] = visible(values[name])
        if not any(values.values()):
            continue
        fresh = {name for name, col in columns.items() if (number, col) in written and (number, col) not in covered}
        for name in carry:  # 编制单位/序号/抽查类别 left blank mean "as above", merged or not
            if values.get(name):
                carry[name] = values[name]
            else:
                values[name] = carry[name]
        starts = not fresh.isdisjoint(_STARTS_ITEM) and values.get("name")
        if starts:
            items.append(_item(values, number))
        elif items:
            _continue(items[-1], values, fresh, number)
    if not items:
        raise TabularError(f"“{source.path.name}”的表头下面没有任何抽查事项：请确认文件内容。")
    issues += _duplicates(items, labels[columns["name"]])
    issues.sort(key=lambda issue: issue.row)
    return CheckItemFile(items, issues, source.sheet_name)


def _formula_findings(scan, mapped: set[int], header_row: int, labels: dict[int, str], grid) -> list[Issue]:
    values = {number: cells for number, cells in grid}
    found = []
    marks = [((row, col), "error", shown) for (row, col), shown in scan.errors.items()]
    marks += [((row, col), "formula" if cached else "no-value", "") for (row, col), cached in scan.formulas.items()
              if (row, col) not in scan.errors]
    for (row, col), kind, shown in sorted(marks):
        if row > header_row and col in mapped:
            cells = values.get(row, [])
            value = cells[col] if col < len(cells) else ""
            message, severity = formula_message(f"{column_letter(col)}{row}", kind, shown, value)
            found.append(Issue(row, labels[col], message, severity, shown or text(value) if value != "" else shown))
    return found


def _duplicates(items: list[CheckItemRow], label: str) -> list[Issue]:
    """The same item (same 编制单位, 抽查类别, 抽查事项, 检查对象, 发起部门) printed twice: only the
    first is imported; the clerk is told which rows."""
    first: dict[tuple, int] = {}
    found = []
    for item in items:
        row = first.setdefault(item.key, item.row)
        if row != item.row:
            found.append(Issue(item.row, label, f"与第 {row} 行是同一事项“{item.name}”（编制单位、抽查类别、"
                               "抽查事项、检查对象都相同）：只导入第一处，请核对是否重复", WARNING, item.name))
    return found


def _clean(name: str, raw: object) -> str:
    value = text(raw) if raw not in ("", None) else ""
    if name in _SINGLE_LINE:
        return _LINE_BREAK.sub("", value)
    return "\n".join(line.rstrip() for line in value.splitlines())


def _item(values: dict[str, str], number: int) -> CheckItemRow:
    methods_text = values.get("methods", "")
    known = {k: v for k, v in values.items() if k != "methods"}
    return CheckItemRow(**known, methods=split_methods(methods_text), methods_text=methods_text,
                        row=number, last_row=number)


def _continue(item: CheckItemRow, values: dict[str, str], fresh: set[str], number: int) -> None:
    """A row that adds a further 检查依据/检查主体 line to the item above."""
    item.last_row = number
    for name in _APPENDS:
        value = values.get(name, "")
        if name in fresh and value and value not in getattr(item, name).split("\n"):
            current = getattr(item, name)
            setattr(item, name, f"{current}\n{value}" if current else value)
