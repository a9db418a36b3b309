"""Reading the field results sheet back: all or nothing, every bad cell named by row and column.

A group of rows with the same 检查记录号 is one inspection; its first row carries the
inspection's fields. A group left blank is an inspection not yet done and is skipped; a group
equal to what is stored changes nothing, so re-importing an unchanged sheet writes nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import Row, Table, bindparam, select, update
from sqlalchemy.orm import selectinload

from app.db.models import Inspection, ItemResult, Subject, Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.draw.protocol import no_gc
from app.domain.inspection import NO_PROBLEM, ItemOutcome, Outcome, outcome_problems
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.inspection.categories import categories_in
from app.services.inspection.entry import entered_fields, item_fields, locked_problem
from app.services.inspection.sheet import COLUMNS, DATE_COLUMNS, HEADER, SHEET
from app.services.progress import NO_PROGRESS, Progress
from app.tabular import values
from app.tabular.errors import Issue, TabularError
from app.tabular.source import open_sheet

_SPLIT = re.compile(r"[、，,；;\n]+")


@dataclass
class ResultsImportResult:
    rows: int = 0
    imported: int = 0  # results entered for the first time
    updated: int = 0  # results changed
    unchanged: int = 0
    skipped: int = 0  # left blank: not inspected yet
    errors: list[Issue] = field(default_factory=list)
    committed: bool = False

    def to_json(self) -> dict:
        """The shape of the directory imports' ``--json`` (plus unchanged and skipped)."""
        return {"imported": self.imported, "updated": self.updated, "rejected": 0 if self.committed else self.rows,
                "warnings": 0, "unchanged": self.unchanged, "skipped": self.skipped,
                "errors": [{"row": i.row, "column": i.column, "message": i.message} for i in self.errors]}

    def summary(self) -> str:
        if not self.committed:
            return (f"共 {self.rows:,} 行，发现 {len(self.errors):,} 处错误，未导入任何结果。"
                    "请按提示改正结果表后重新导入。")
        return (f"共 {self.rows:,} 行：新录入 {self.imported:,} 个检查对象的结果，更新 {self.updated:,} 个，"
                f"未改变 {self.unchanged:,} 个，未填写（尚未检查）{self.skipped:,} 个。")


_PER_INSPECTION = tuple(c.name for c in COLUMNS if c.per_inspection)
_PER_ITEM = tuple(c.name for c in COLUMNS if not c.locked and not c.per_inspection)
# The columns read, in this order: what ties a row to its inspection, then what the team fills in.
_READ = ("检查记录号", "统一社会信用代码/注册号", "事项序号", "检查事项", *_PER_ITEM, *_PER_INSPECTION)
_AT = {name: i for i, name in enumerate(_READ)}
_NUMBER, _CODE, _INDEX, _ITEM = range(4)
_FILLED = slice(_AT[_PER_ITEM[0]], None)
_PER_ITEM_CELLS = slice(_AT[_PER_ITEM[0]], _AT[_PER_ITEM[-1]] + 1)
_FIRST_ROW_ONLY = slice(_AT[_PER_INSPECTION[0]], None)


class _Row(NamedTuple):
    """A row of the sheet, its cells turned into text once."""

    number: int
    texts: tuple[str, ...]  # the cells of _READ, as text
    cells: tuple  # the same cells as read (a date is taken from its cell, not its text)

    def text(self, name: str) -> str:
        return self.texts[_AT[name]] if name in _AT else ""


def _read(path: str | os.PathLike) -> list[_Row]:
    try:
        source = open_sheet(path, SHEET)
    except TabularError as exc:
        raise UserError(exc.message) from exc
    except (KeyError, ValueError):
        raise UserError(f"文件中没有“{SHEET}”工作表：请导入本程序导出的检查结果表。") from None
    rows = iter(source.rows())
    try:
        _, header = next(rows)
    except StopIteration:
        raise UserError("结果表是空的。") from None
    names = [values.text(h) if h is not None else "" for h in header]
    missing = [name for name in HEADER if name not in names]
    if missing:
        raise UserError(f"结果表缺少列：{'、'.join(missing)}。请导入本程序导出的检查结果表，不要删除或改名列。")
    position = {name: names.index(name) for name in HEADER}
    width = max(position.values()) + 1
    read = itemgetter(*(position[name] for name in _READ))
    unread = [position[name] for name in HEADER if name not in _AT]
    text = values.text
    out = []
    for number, cells in rows:
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        raw = read(cells)
        blank = raw.count("") + raw.count(None) == len(raw) and all(cells[i] in (None, "") for i in unread)
        if not blank:
            out.append(_Row(number, tuple(["" if c == "" or c is None else text(c) for c in raw]), raw))
    return out


@lru_cache(maxsize=256)
def _split(text: str) -> tuple[str, ...]:
    """The few values of 核查方式, 检查结果 and 后续处置 come back on every inspection."""
    return tuple(dict.fromkeys(part.strip() for part in _SPLIT.split(text) if part.strip()))


class _Stored(NamedTuple):
    """An inspection as stored, read with plain SELECTs (5,000 ORM objects would take seconds)."""

    id: int
    code: str
    status: str
    entered_by: str
    results: tuple[tuple, ...]  # (item result id, check item id, finding, category, handling), by 事项序号
    entered: Row | None  # the entered fields, once there are any

    def outcome(self) -> Outcome:
        r = self.entered
        return Outcome(
            inspected_on=r.inspected_on, methods=tuple(r.methods),
            items=tuple(ItemOutcome(*result[1:]) for result in self.results),
            categories=tuple(r.categories), follow_ups=tuple(r.follow_ups), rectify_by=r.rectify_by,
            handed_to=r.handed_to, handed_on=r.handed_on, copied_to=r.copied_to, closed_on=r.closed_on, note=r.note)


def _stored(session, task_id: int) -> dict[int, _Stored]:
    i, r, s = Inspection.__table__.c, ItemResult.__table__.c, Subject.__table__.c
    results: dict[int, list] = {}
    for row in session.execute(select(r.inspection_id, r.id, r.check_item_id, r.finding, r.result_category, r.handling)
                               .join(Inspection.__table__, r.inspection_id == i.id)
                               .where(i.task_id == task_id).order_by(r.id)).all():
        results.setdefault(row[0], []).append(row[1:])
    rows = session.execute(select(i.id, i.status, i.entered_by, s.credit_code, s.registration_no)
                           .join(Subject.__table__, i.subject_id == s.id).where(i.task_id == task_id)).all()
    # Read after the rows above: an inspection entered meanwhile has its fields here, never the reverse.
    entered = {row.id: row for row in session.execute(
        select(i.id, i.inspected_on, i.methods, i.categories, i.follow_ups, i.rectify_by, i.handed_to, i.handed_on,
               i.copied_to, i.closed_on, i.note).where(i.task_id == task_id, i.entered_by != ""))}
    return {id_: _Stored(id_, credit_code or registration_no or "", status, entered_by, tuple(results.get(id_, ())),
                         entered.get(id_))
            for id_, status, entered_by, credit_code, registration_no in rows}


def _blank(rows: list[_Row]) -> bool:
    return not any(any(row.texts[_FILLED]) for row in rows)


class _Checker:
    """Turns the rows of one inspection into an Outcome, noting every bad cell."""

    def __init__(self, names: dict[int, str], allowed: tuple[str, ...], task: Task, errors: list[Issue]):
        self.names, self.allowed, self.errors = names, allowed, errors
        self.period = (task.starts_on, task.ends_on)

    def error(self, row: _Row, column: str, message: str) -> None:
        self.errors.append(Issue(row.number, column, message, value=row.text(column)))

    def _date(self, row: _Row, name: str) -> date | None:
        raw = row.cells[_AT[name]]
        if raw in (None, ""):
            return None
        try:
            return values.date(raw)
        except ValueError as exc:
            self.error(row, name, str(exc))
            return None

    def outcome(self, rows: list[_Row], inspection: _Stored) -> Outcome | None:
        before = len(self.errors)
        first = rows[0]
        for row in rows[1:]:
            if any(row.texts[_FIRST_ROW_ONLY]):
                for name in _PER_INSPECTION:
                    if row.text(name):
                        self.error(row, name, f"“{name}”只填在该检查记录的第一行（第 {first.number} 行）。")
        results = inspection.results
        checked: dict[int, tuple[ItemOutcome, _Row]] = {}  # by 事项序号
        for row in rows:
            texts = row.texts
            index = texts[_INDEX]
            k = int(index) if index.isdecimal() else 0
            if not 1 <= k <= len(results) or k in checked:
                self.error(row, "事项序号", "事项序号不对：请不要改动、复制或删除灰色的检查对象信息。")
                continue
            check_item_id = results[k - 1][1]
            name = self.names[check_item_id]
            if texts[_ITEM] != name:
                self.error(row, "检查事项", f"应为“{name}”：请不要改动灰色的检查事项。")
            category, finding, handling = texts[_PER_ITEM_CELLS]
            checked[k] = (ItemOutcome(check_item_id, finding, category or NO_PROBLEM, handling), row)
        if len(checked) != len(results) and len(self.errors) == before:
            self.error(first, "事项序号", f"该检查记录应有 {len(results)} 个检查事项，表中只有 {len(checked)} 行。")
        ordered = [checked[k] for k in sorted(checked)]
        dates = {name: self._date(first, name) for name in DATE_COLUMNS}
        outcome = Outcome(
            inspected_on=dates["检查日期"], methods=_split(first.text("核查方式")),
            items=tuple(item for item, _ in ordered),
            categories=_split(first.text("检查结果")), follow_ups=_split(first.text("后续处置")),
            rectify_by=dates["整改期限"], handed_to=first.text("移送部门"), handed_on=dates["移送日期"],
            copied_to=first.text("抄告部门"), closed_on=dates["完结日期"], note=first.text("备注"))
        if len(self.errors) > before:
            return None
        for column, message in outcome_problems(outcome, self.allowed, *self.period):
            if column == "事项结果":
                for item, row in ordered:
                    if item.category not in self.allowed:
                        self.error(row, column, f"“{item.category}”不是检查结果类别（可从下拉列表选择）。")
            else:
                self.error(first, column, message)
        return None if len(self.errors) > before else outcome


def import_sheet(db: Database, actor: Actor, path: str | os.PathLike, progress: Progress = NO_PROGRESS
                 ) -> ResultsImportResult:
    """Check every row; if any cell is wrong nothing is stored, else every changed result is."""
    require(actor, Role.CLERK)
    with no_gc():  # tens of thousands of small objects live until the end; collections would walk them over and over
        return _import(db, actor, path, progress)


def _import(db: Database, actor: Actor, path: str | os.PathLike, progress: Progress) -> ResultsImportResult:
    progress.step(0, 0, "正在读取结果表…")
    rows = _read(path)
    result = ResultsImportResult(rows=len(rows))
    ids = {}
    for row in rows:
        number = row.texts[_NUMBER]
        if not number.isdecimal():
            result.errors.append(Issue(row.number, "检查记录号", "检查记录号应为数字：请不要改动灰色的检查对象信息。"))
        ids[row.number] = int(number) if number.isdecimal() else 0
    with db.session() as session:
        first = next((i for i in ids.values() if i), 0)
        task_id = session.scalar(select(Inspection.task_id).where(Inspection.id == first))
        if task_id is None:
            if not result.errors:
                raise UserError("结果表中没有本数据库的检查记录：请导入本程序为某个任务导出的结果表。")
            return result
        inspections = _stored(session, task_id)
        task = session.get(Task, task_id, options=[selectinload(Task.items)])
        checker = _Checker({item.id: item.name for item in task.items}, categories_in(session), task, result.errors)
        outcomes: list[tuple[_Stored, Outcome]] = []
        for number, group in groupby(rows, key=lambda r: ids[r.number]):
            group = list(group)
            inspection = inspections.get(number)
            if number == 0:
                continue
            strangers = [row for row in group if inspection is None or row.texts[_CODE] != inspection.code]
            for row in strangers:
                result.errors.append(Issue(row.number, "统一社会信用代码/注册号",
                                           f"该行的检查对象不在任务“{task.name}”中（或与检查记录号 {number} 不符）。"))
            if strangers:
                continue
            if _blank(group):
                result.skipped += 1
                continue
            outcome = checker.outcome(group, inspection)
            if outcome is None:
                continue
            if inspection.entered_by and inspection.outcome() == outcome:
                result.unchanged += 1
                continue
            if locked_problem(inspection):
                result.errors.append(Issue(group[0].number, "状态", locked_problem(inspection)))
                continue
            outcomes.append((inspection, outcome))
        if len({i for i in ids.values()}) != len([k for k, _ in groupby(ids.values())]):
            result.errors.append(Issue(rows[0].number, "检查记录号",
                                       "同一检查记录的行不相连：请按检查记录号排序后再导入（不要打乱行的顺序）。"))
        if result.errors:
            result.errors.sort(key=lambda i: (i.row, HEADER.index(i.column) if i.column in HEADER else 0))
            session.rollback()
            return result
        progress.step(0, 0, "正在保存检查结果…")
        _write(session, actor, outcomes, result)
        if outcomes:
            audit.record(session, actor, "导入检查结果表", "task", task.id,
                         {"文件": os.path.basename(path), "新录入": result.imported, "更新": result.updated,
                          "检查记录": [i.id for i, _ in outcomes]})
        result.committed = True
        return result


def _write(session, actor: Actor, outcomes: list[tuple[_Stored, Outcome]], result: ResultsImportResult) -> None:
    now = datetime.now()
    inspection_rows, item_rows = [], []
    for inspection, outcome in outcomes:
        inspection_rows.append({"row_id": inspection.id, **entered_fields(outcome, actor, now)})
        item_rows += [{"row_id": stored[0], **item_fields(item)}  # the outcome's items are in this order
                      for stored, item in zip(inspection.results, outcome.items)]
        if inspection.entered_by:
            result.updated += 1
        else:
            result.imported += 1
    for table, rows in ((Inspection.__table__, inspection_rows), (ItemResult.__table__, item_rows)):
        if rows:
            _update_many(session, table, rows)


def _update_many(session, table: Table, rows: list[dict]) -> None:
    """``UPDATE table SET … WHERE id = :row_id`` for every row, in one DB-API executemany.

    SQLAlchemy compiles the statement for the database in use and the columns' own types turn
    the values into what the driver takes (JSON as text, a date as text on SQLite), as
    Session.execute would; but each distinct value is converted once, and the per-row
    parameter processing of Session.execute is left out.
    """
    connection = session.connection()
    dialect = connection.dialect
    types = {name: table.c[name].type for name in rows[0] if name != "row_id"}
    compiled = update(table).where(table.c.id == bindparam("row_id")).compile(dialect=dialect, column_keys=list(types))
    types["row_id"] = table.c.id.type
    processors = {name: type_.dialect_impl(dialect).bind_processor(dialect) for name, type_ in types.items()}
    convert = {name: _once(process) for name, process in processors.items() if process is not None}
    names = compiled.positiontup if compiled.positional else list(types)
    plan = [(name, convert.get(name)) for name in names]
    converted = [[row[name] if to is None else to(row[name]) for name, to in plan] for row in rows]
    params = [tuple(v) for v in converted] if compiled.positional else [dict(zip(names, v)) for v in converted]
    connection.exec_driver_sql(compiled.string, params)


def _once(process: Callable) -> Callable:
    """A column type's conversion for the driver, run once per distinct value (a list stands for its items)."""
    done: dict = {}

    def convert(value):
        key = tuple(value) if isinstance(value, list) else value
        if key not in done:
            done[key] = process(value)
        return done[key]
    return convert
