"""A subject file's valid rows as insert tuples, in batches: read here, or in a second process.

Reading (Python, holding the GIL) and writing (sqlite3 binds every value holding the GIL too)
took turns when they were two threads of one process: at 500,000 rows each took about 2 s alone
and over 4 s together.  A large file bound for SQLite is therefore read in a second process,
which sends finished batches to the importing one with ``marshal`` (several times faster than
pickle; dates travel as ISO text, which is what sqlite3 stores for a date anyway).  On a
two-core office PC reading and writing then really run side by side.  This module imports no
database code, so that process starts at once.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import NamedTuple

from app.tabular import ERROR, SUBJECT, ColumnMapping, Issue, TabularError, open_directory

BATCH = 2000
LARGE_FILE_BYTES = 2 * 2**20  # about 20,000 rows of xlsx: worth starting a process for


@dataclass(frozen=True)
class RowPlan:
    """What the reading side must know of the table: each column of an insert tuple, in order,
    with its default; the text columns' length limits as (position, field, limit); the
    positions of the date columns."""

    defaults: dict
    limits: tuple
    dates: tuple


class Batch(NamedTuple):
    records: list  # insert tuples
    tags: list  # each record's tags (empty when the file has no 标签 column)
    last_row: int  # the Excel row number reached
    rejected: int  # rows of the batch not imported (errors, text too long)


def row_batches(reader, plan: RowPlan) -> Iterator[Batch]:
    """The valid rows of an open reader as batches; rejected rows are counted, too-long text is
    reported in ``reader.issues``, which end up in row order."""
    record_of = itemgetter(*plan.defaults)
    with_tags = "tags" in reader.mapping.columns
    records, numbers, tags, rejected = [], [], [], 0

    def finish() -> Batch:
        kept = _within_limits(records, numbers, plan.limits, reader)
        dropped = len(records) - len(kept)
        last = numbers[-1] if numbers else 0
        if dropped:
            return Batch([records[k] for k in kept], [tags[k] for k in kept] if with_tags else tags, last,
                         rejected + dropped)
        return Batch(records, tags, last, rejected)

    for row in reader:
        if not row.ok:
            rejected += 1
            continue
        records.append(record_of(row.values))
        numbers.append(row.row)
        if with_tags:
            tags.append(row.values.get("tags") or [])
        if len(records) >= BATCH:
            yield finish()
            records, numbers, tags, rejected = [], [], [], 0
    yield finish()
    reader.issues.sort(key=attrgetter("row"))  # a batch's length findings come after its rows' others


def _within_limits(records: list, numbers: list, limits: tuple, reader) -> list:
    """Positions of the records within every length limit, checked column by column at C speed
    (a valid row's text columns are never None: blanks take the column's default, and a row
    without a name is not valid); each cell too long is reported."""
    if not records:
        return []
    too_long = [(i, name, limit) for i, name, limit in limits if max(map(len, map(itemgetter(i), records))) > limit]
    if not too_long:
        return range(len(records))
    bad = set()
    for k, record in enumerate(records):
        for i, name, limit in too_long:
            if len(record[i]) > limit:
                reader.issues.append(Issue(numbers[k], reader.mapping.columns[name], f"内容过长：最多 {limit} 个字",
                                           ERROR))
                bad.add(k)
    return [k for k in range(len(records)) if k not in bad]


class LocalRows:
    """The file read in this process (small files, and PostgreSQL, whose driver takes dates)."""

    def __init__(self, path, mapping: ColumnMapping | None, plan: RowPlan, sheet: str | None = None):
        self.reader = open_directory(path, SUBJECT, mapping, sheet, defaults=plan.defaults)
        self.plan = plan
        self.mapping, self.height = self.reader.mapping, self.reader.height

    def batches(self) -> Iterator[Batch]:
        return row_batches(self.reader, self.plan)

    @property
    def issues(self) -> list[Issue]:
        return self.reader.issues

    @property
    def rows(self) -> int:
        return self.reader.counts.rows

    def close(self) -> None:
        """Nothing to release."""


class ProcessRows:
    """The file read in a second process; the same interface as ``LocalRows``.

    A file the reader refuses raises ``TabularError`` here, as ``open_directory`` would.
    """

    def __init__(self, path, mapping: ColumnMapping | None, plan: RowPlan, sheet: str | None = None):
        context = multiprocessing.get_context("spawn")  # fork is unsafe beside Qt's threads
        self._connection, child_end = context.Pipe(duplex=False)
        columns = (mapping.kind, mapping.columns) if mapping else None
        self._process = context.Process(target=_read_in_child, args=(os.fspath(path), columns, plan, child_end, sheet),
                                        name="subject-reader", daemon=True)
        self._process.start()
        child_end.close()
        self.issues: list[Issue] = []
        self.rows = 0
        kind, *payload = self._receive()
        if kind != "header":
            self.close()
            if kind == "error":
                raise TabularError(payload[0])
            raise RuntimeError(f"读取文件时出错：{payload[0]}")
        self.mapping, self.height = ColumnMapping(payload[0], payload[1]), payload[2]

    def _receive(self) -> tuple:
        try:
            return marshal.loads(self._connection.recv_bytes())
        except EOFError:
            raise RuntimeError("读取文件的进程意外退出：请重试；若仍失败，请把文件拆成几份再导入。") from None

    def batches(self) -> Iterator[Batch]:
        while True:
            kind, *payload = self._receive()
            if kind == "rows":
                yield Batch(*payload)
            elif kind == "done":
                issues, self.rows = payload
                self.issues = [Issue(*fields) for fields in issues]
                return
            elif kind == "error":  # the file turned out unusable part-way (an encoding change)
                raise TabularError(payload[0])
            else:
                raise RuntimeError(f"读取文件时出错：{payload[0]}")

    def close(self) -> None:
        """Ends the reading process (at once if the import stopped half-way)."""
        self._connection.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _read_in_child(path: str, columns, plan: RowPlan, connection, sheet: str | None = None) -> None:
    """The reading process: the header, then every batch, then the findings."""
    send = lambda *message: connection.send_bytes(marshal.dumps(message))  # noqa: E731
    try:
        mapping = ColumnMapping(*columns) if columns else None
        try:
            reader = open_directory(path, SUBJECT, mapping, sheet, defaults=plan.defaults)
        except TabularError as exc:
            send("error", str(exc))
            return
        send("header", reader.mapping.kind, reader.mapping.columns, reader.height)
        try:
            for batch in row_batches(reader, plan):
                send("rows", _dates_as_text(batch.records, plan.dates), batch.tags, batch.last_row, batch.rejected)
        except TabularError as exc:
            send("error", str(exc))
            return
        send("done", [(i.row, i.column, i.message, i.severity, i.value) for i in reader.issues], reader.counts.rows)
    except (BrokenPipeError, EOFError):
        pass  # the importing process stopped listening (cancelled): nothing left to do
    except Exception as exc:  # noqa: BLE001 — reported to the importing process
        send("failed", f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def _dates_as_text(records: list, positions: tuple) -> list:
    """marshal carries no dates: ISO text, the very text sqlite3 stores for a date."""
    if not positions:
        return records
    out = []
    for record in records:
        record = list(record)
        for i in positions:
            if record[i] is not None:
                record[i] = record[i].isoformat()
        out.append(tuple(record))
    return out


def open_rows(path, mapping: ColumnMapping | None, plan: RowPlan, second_process: bool,
              sheet: str | None = None) -> LocalRows | ProcessRows:
    """A large file is read in a second process (when ``second_process`` allows it), a small one here."""
    try:
        large = os.path.getsize(path) >= LARGE_FILE_BYTES
    except OSError:
        large = False  # the reader says what is wrong with the path
    rows = ProcessRows if large and second_process else LocalRows
    return rows(path, mapping, plan, sheet)
