"""Reading the field results sheet back: all or nothing, every bad cell named by row and column.

A group of rows with the same 检查记录号 is one inspection; its first row carries the
inspection's fields. A group left blank is an inspection not yet done and is skipped; a group
equal to what is stored changes nothing, so re-importing an unchanged sheet writes nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import selectinload

from app.db.models import Inspection, ItemResult, Subject, Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
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
_FILLED_BY_TEAM = [c.name for c in COLUMNS if not c.locked]
_PER_INSPECTION = [c.name for c in COLUMNS if c.per_inspection]


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


@dataclass
class _Row:
    number: int
    cells: dict[str, object]

    def text(self, name: str) -> str:
        raw = self.cells.get(name)
        return "" if raw is None else values.text(raw)


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
    out = []
    for number, cells in rows:
        row = _Row(number, {name: cells[i] if i < len(cells) else None for name, i in position.items()})
        if any(row.cells[name] not in (None, "") for name in HEADER):
            out.append(row)
    return out


def _split(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in _SPLIT.split(text) if part.strip()))


@dataclass(frozen=True)
class _StoredItem:
    id: int
    check_item_id: int


@dataclass
class _Stored:
    """An inspection as stored, read with plain SELECTs (5,000 ORM objects would take seconds)."""

    id: int
    code: str
    status: str
    entered_by: str
    results: list[_StoredItem]
    outcome: Outcome


def _stored(session, task_id: int) -> dict[int, _Stored]:
    items: dict[int, list] = {}
    for row in session.execute(select(ItemResult.id, ItemResult.inspection_id, ItemResult.check_item_id,
                                      ItemResult.finding, ItemResult.result_category, ItemResult.handling)
                               .join(Inspection, ItemResult.inspection_id == Inspection.id)
                               .where(Inspection.task_id == task_id).order_by(ItemResult.id)):
        items.setdefault(row.inspection_id, []).append(row)
    stored = {}
    columns = (Inspection.id, Inspection.status, Inspection.entered_by, Inspection.inspected_on, Inspection.methods,
               Inspection.categories, Inspection.follow_ups, Inspection.rectify_by, Inspection.handed_to,
               Inspection.handed_on, Inspection.copied_to, Inspection.closed_on, Inspection.note,
               Subject.credit_code, Subject.registration_no)
    for r in session.execute(select(*columns).join(Subject, Inspection.subject_id == Subject.id)
                             .where(Inspection.task_id == task_id)):
        rows = items.get(r.id, [])
        outcome = Outcome(
            inspected_on=r.inspected_on, methods=tuple(r.methods),
            items=tuple(ItemOutcome(i.check_item_id, i.finding, i.result_category, i.handling) for i in rows),
            categories=tuple(r.categories), follow_ups=tuple(r.follow_ups), rectify_by=r.rectify_by,
            handed_to=r.handed_to, handed_on=r.handed_on, copied_to=r.copied_to, closed_on=r.closed_on, note=r.note)
        stored[r.id] = _Stored(r.id, r.credit_code or r.registration_no or "", r.status, r.entered_by,
                               [_StoredItem(i.id, i.check_item_id) for i in rows], outcome)
    return stored


class _Group:
    """The rows of one inspection, turned into an Outcome with every bad cell noted."""

    def __init__(self, rows: list[_Row], inspection: _Stored, names: dict[int, str], allowed: tuple[str, ...],
                 task: Task, errors: list[Issue]):
        self.rows, self.inspection, self.errors = rows, inspection, errors
        self.first = rows[0]
        self.names, self.allowed, self.task = names, allowed, task

    def error(self, row: _Row, column: str, message: str) -> None:
        self.errors.append(Issue(row.number, column, message, value=row.text(column)))

    def blank(self) -> bool:
        return all(not row.text(name) for row in self.rows for name in _FILLED_BY_TEAM)

    def _date(self, name: str) -> date | None:
        raw = self.first.cells.get(name)
        if raw in (None, ""):
            return None
        try:
            return values.date(raw)
        except ValueError as exc:
            self.error(self.first, name, str(exc))
            return None

    def outcome(self) -> Outcome | None:
        before = len(self.errors)
        for row in self.rows[1:]:
            for name in _PER_INSPECTION:
                if row.text(name):
                    self.error(row, name, f"“{name}”只填在该检查记录的第一行（第 {self.first.number} 行）。")
        results = self.inspection.results
        items, seen = [], set()
        for row in self.rows:
            index = row.text("事项序号")
            k = int(index) if index.isdigit() else 0
            if not 1 <= k <= len(results) or k in seen:
                self.error(row, "事项序号", "事项序号不对：请不要改动、复制或删除灰色的检查对象信息。")
                continue
            seen.add(k)
            result = results[k - 1]
            if row.text("检查事项") != self.names[result.check_item_id]:
                self.error(row, "检查事项", f"应为“{self.names[result.check_item_id]}”：请不要改动灰色的检查事项。")
            category = row.text("事项结果") or NO_PROBLEM
            items.append(ItemOutcome(result.check_item_id, row.text("发现问题情况"), category, row.text("处置情况")))
        if len(seen) != len(results) and len(self.errors) == before:
            self.error(self.first, "事项序号", f"该检查记录应有 {len(results)} 个检查事项，表中只有 {len(seen)} 行。")
        dates = {name: self._date(name) for name in DATE_COLUMNS}
        outcome = Outcome(
            inspected_on=dates["检查日期"], methods=_split(self.first.text("核查方式")),
            items=tuple(sorted(items, key=lambda i: [r.check_item_id for r in results].index(i.check_item_id))),
            categories=_split(self.first.text("检查结果")), follow_ups=_split(self.first.text("后续处置")),
            rectify_by=dates["整改期限"], handed_to=self.first.text("移送部门"), handed_on=dates["移送日期"],
            copied_to=self.first.text("抄告部门"), closed_on=dates["完结日期"], note=self.first.text("备注"))
        if len(self.errors) > before:
            return None
        item_rows = {i.check_item_id: row for i, row in zip(items, self.rows)}
        for column, message in outcome_problems(outcome, self.allowed, self.task.starts_on, self.task.ends_on):
            if column == "事项结果":
                for item in outcome.items:
                    if item.category not in self.allowed:
                        self.error(item_rows[item.check_item_id], column,
                                   f"“{item.category}”不是检查结果类别（可从下拉列表选择）。")
            else:
                self.error(self.first, column, message)
        return None if len(self.errors) > before else outcome


def import_sheet(db: Database, actor: Actor, path: str | os.PathLike, progress: Progress = NO_PROGRESS
                 ) -> ResultsImportResult:
    """Check every row; if any cell is wrong nothing is stored, else every changed result is."""
    require(actor, Role.CLERK)
    progress.step(0, 0, "正在读取结果表…")
    rows = _read(path)
    result = ResultsImportResult(rows=len(rows))
    ids = {}
    for row in rows:
        number = row.text("检查记录号")
        if not number.isdigit():
            result.errors.append(Issue(row.number, "检查记录号", "检查记录号应为数字：请不要改动灰色的检查对象信息。"))
        ids[row.number] = int(number) if number.isdigit() else 0
    with db.session() as session:
        first = next((i for i in ids.values() if i), 0)
        task_id = session.scalar(select(Inspection.task_id).where(Inspection.id == first))
        if task_id is None:
            if not result.errors:
                raise UserError("结果表中没有本数据库的检查记录：请导入本程序为某个任务导出的结果表。")
            return result
        inspections = _stored(session, task_id)
        task = session.get(Task, task_id, options=[selectinload(Task.items)])
        names = {item.id: item.name for item in task.items}
        allowed = categories_in(session)
        outcomes: list[tuple[_Stored, Outcome]] = []
        for number, group in groupby(rows, key=lambda r: ids[r.number]):
            group = list(group)
            inspection = inspections.get(number)
            if number == 0:
                continue
            strangers = [row for row in group
                         if inspection is None or row.text("统一社会信用代码/注册号") != inspection.code]
            for row in strangers:
                result.errors.append(Issue(row.number, "统一社会信用代码/注册号",
                                           f"该行的检查对象不在任务“{task.name}”中（或与检查记录号 {number} 不符）。"))
            if strangers:
                continue
            checker = _Group(group, inspection, names, allowed, task, result.errors)
            if checker.blank():
                result.skipped += 1
                continue
            outcome = checker.outcome()
            if outcome is None:
                continue
            if inspection.outcome == outcome and inspection.entered_by:
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
        now = datetime.now()
        inspection_rows, item_rows = [], []
        for inspection, outcome in outcomes:
            inspection_rows.append({"row_id": inspection.id, **entered_fields(outcome, actor, now)})
            by_item = {item.check_item_id: item for item in outcome.items}
            item_rows += [{"row_id": stored.id, **item_fields(by_item[stored.check_item_id])}
                          for stored in inspection.results]
            if inspection.entered_by:
                result.updated += 1
            else:
                result.imported += 1
        for table, rows_of in ((Inspection.__table__, inspection_rows), (ItemResult.__table__, item_rows)):
            if rows_of:  # one executemany per table
                session.execute(update(table).where(table.c.id == bindparam("row_id")), rows_of)
        if outcomes:
            audit.record(session, actor, "导入检查结果表", "task", task.id,
                         {"文件": os.path.basename(path), "新录入": result.imported, "更新": result.updated,
                          "检查记录": [i.id for i, _ in outcomes]})
        result.committed = True
        return result
