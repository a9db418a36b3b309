"""Writing imported subject rows: the database half of a 500,000-row import.

Rows arrive as tuples in ``INSERT_COLUMNS`` order followed by the two codes, in batches, and
are upserted by 统一社会信用代码 (or 注册号) with SQL built once per import: the same
ON CONFLICT syntax serves SQLite and PostgreSQL. Writing happens on a second thread while
the file is still being read (``BackgroundWriter``).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from itertools import chain

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.db.models import Subject, Tag
from app.tabular.subject_rows import BATCH  # the reading side's batch: at most one statement of rows

SUBJECT_TABLE: Table = Subject.__table__
CODE_FIELDS = ("credit_code", "registration_no")
# Every column an imported row writes, codes last; a column the file lacks gets its default
# on insert and is left alone on update.
INSERT_COLUMNS = tuple(c.name for c in SUBJECT_TABLE.c
                       if c.name not in ("id", "created_at", "updated_at", *CODE_FIELDS))


class MultiRowInsert:
    """An INSERT whose VALUES list takes as many rows as one call may bind.

    sqlite3's executemany lets go of the GIL for every row and then waits for it back, so
    on two cores the reading thread and the writing thread only take turns. One statement
    for a whole batch is written by SQLite while the GIL is free and the reading goes on;
    SQLite still upserts the rows of a multi-row INSERT one after another, as executemany
    would. PostgreSQL (``rows_per_call`` 1) keeps psycopg's executemany, which pipelines.
    """

    def __init__(self, head: str, row: str, tail: str, rows_per_call: int):
        self._head, self._row, self._tail = head, row, tail
        self.rows_per_call = rows_per_call
        self._sql: dict[int, str] = {}

    def run(self, cursor, rows: list[tuple]) -> None:
        if self.rows_per_call == 1:
            cursor.executemany(self.sql(1), rows)
            return
        start = 0
        while start < len(rows):
            size = self._call_size(len(rows) - start)
            cursor.execute(self.sql(size), list(chain.from_iterable(rows[start:start + size])))
            start += size

    def _call_size(self, left: int) -> int:
        """A full call, else the largest power of two that fits: the odd-sized rest of a batch
        (a file mixing credit codes and 注册号 has one per batch) then reuses a dozen prepared
        statements instead of preparing, and caching, a large new one for every size."""
        if left >= self.rows_per_call:
            return self.rows_per_call
        return 1 << (left.bit_length() - 1)

    def sql(self, rows: int) -> str:
        if rows not in self._sql:
            self._sql[rows] = f"{self._head}{', '.join([self._row] * rows)}{self._tail}"
        return self._sql[rows]


class SubjectWriter:
    """Upserts batches of subject rows and links their tags; counts inserts and updates."""

    def __init__(self, session: Session, mapped: list[str], with_tags: bool):
        self.session = session
        self.with_tags = with_tags
        self.inserted = self.updated = self.written = 0
        self._tag_ids: dict[str, int] = {}
        self._tag_links: dict[str, list[tuple[int, str]]] = {key: [] for key in CODE_FIELDS}
        connection = session.connection()
        self.postgres = connection.dialect.name == "postgresql"
        if not self.postgres:
            # 64 MB holds the code indexes of a 500,000-row directory; measured there, a new import
            # took 0.3–0.6 s less than with 256 MB (a re-import: no difference beyond the noise)
            connection.exec_driver_sql("PRAGMA cache_size=-65536")
        self.cursor = connection.connection.cursor()
        self.code_index = len(INSERT_COLUMNS)
        mark = "%s" if self.postgres else "?"
        self.link_sql = (f"UPDATE subjects SET credit_code = {mark} "
                         f"WHERE registration_no = {mark} AND credit_code IS NULL")
        self.upsert = {key: _upsert(key, mapped, mark, self._rows_per_call(connection, 2 + len(INSERT_COLUMNS)))
                       for key in CODE_FIELDS}
        self.link_tags = {key: _link_tags(key, mark, self._rows_per_call(connection, 2)) for key in CODE_FIELDS}
        # On SQLite the import's transaction sees no one else's writes from its first read to
        # its commit, so the rows it added are the rows it inserted: counting the table before
        # and after spares a lookup per batch. PostgreSQL looks each batch's codes up, since
        # other PCs may add subjects meanwhile.
        self._rows_before = None if self.postgres else self._count()

    def _rows_per_call(self, connection, width: int) -> int:
        if self.postgres:
            return 1
        limit = connection.connection.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(1, min(BATCH, limit // width))

    def _count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(SUBJECT_TABLE)) or 0

    def write(self, batch: list[tuple], tags: list[list[str]]) -> None:
        if not batch:
            return
        code_at = self.code_index
        by_code = [r for r in batch if r[code_at]]
        by_regno = [r for r in batch if not r[code_at]]
        linked = [(r[code_at], r[code_at + 1]) for r in by_code if r[code_at + 1]]
        if linked:  # a 个体户 known by its 注册号 that now has a credit code keeps its record
            self.cursor.executemany(self.link_sql, linked)
        for key, offset, records in (("credit_code", 0, by_code), ("registration_no", 1, by_regno)):
            if not records:
                continue
            if self._rows_before is None:
                self._count_existing(key, [r[code_at + offset] for r in records])
            self.upsert[key].run(self.cursor, records)
            self.written += len(records)
        if self.with_tags:
            self._write_tags(batch, tags)

    def finish(self) -> None:
        """Link the tags still waiting; settle ``inserted`` and ``updated``."""
        for key, pairs in self._tag_links.items():
            if pairs:
                self.link_tags[key].run(self.cursor, pairs)
        if self._rows_before is not None:
            self.inserted = self._count() - self._rows_before
            self.updated = self.written - self.inserted

    def _count_existing(self, key: str, codes: list[str]) -> None:
        column = SUBJECT_TABLE.c[key]
        existing = len(self.session.execute(select(column).where(column.in_(codes))).all())
        self.updated += existing
        self.inserted += len(codes) - existing

    def _write_tags(self, batch: list[tuple], tags: list[list[str]]) -> None:
        """Gather (tag id, code) links and write them whenever they fill whole statements.

        A batch's subjects are written by then. On SQLite each statement spared is one wait
        for the GIL less (see MultiRowInsert); on PostgreSQL every batch's links go at once.
        """
        code_at = self.code_index
        links = self._tag_links
        for record, row_tags in zip(batch, tags):
            if record[code_at]:
                links["credit_code"].extend((self._tag_id(tag), record[code_at]) for tag in row_tags)
            else:
                links["registration_no"].extend((self._tag_id(tag), record[code_at + 1]) for tag in row_tags)
        for key, pairs in links.items():
            whole = len(pairs) - len(pairs) % self.link_tags[key].rows_per_call
            if whole:
                self.link_tags[key].run(self.cursor, pairs[:whole])
                del pairs[:whole]

    def _tag_id(self, tag: str) -> int:
        if tag not in self._tag_ids:
            tag_id = self.session.scalar(select(Tag.id).where(Tag.name == tag))
            if tag_id is None:
                new = Tag(name=tag)
                self.session.add(new)
                self.session.flush()
                tag_id = new.id
            self._tag_ids[tag] = tag_id
        return self._tag_ids[tag]


def _upsert(key: str, mapped: list[str], mark: str, rows_per_call: int) -> MultiRowInsert:
    """Insert, or on a known ``key`` overwrite the columns the file has (``mapped``)."""
    names = (*INSERT_COLUMNS, *CODE_FIELDS)
    other = "registration_no" if key == "credit_code" else "credit_code"
    updates = [f"{n} = excluded.{n}" for n in mapped]
    updates.append(f"{other} = COALESCE(excluded.{other}, subjects.{other})")
    updates.append("updated_at = CURRENT_TIMESTAMP")
    return MultiRowInsert(f"INSERT INTO subjects ({', '.join(names)}) VALUES ",
                          f"({', '.join([mark] * len(names))})",
                          f" ON CONFLICT ({key}) DO UPDATE SET {', '.join(updates)}", rows_per_call)


def _link_tags(key: str, mark: str, rows_per_call: int) -> MultiRowInsert:
    """Link (tag id, subject code) pairs; the WHERE lets SQLite read ON CONFLICT as the
    upsert clause rather than the join's."""
    return MultiRowInsert("INSERT INTO subject_tags (subject_id, tag_id) SELECT subjects.id, v.column1 FROM (VALUES ",
                          f"({mark}, {mark})",
                          f") AS v JOIN subjects ON subjects.{key} = v.column2 WHERE true ON CONFLICT DO NOTHING",
                          rows_per_call)


class BackgroundWriter:
    """Writes batches on a second thread while the file is still being read.

    SQLite (in one multi-row statement) and psycopg release the GIL while they work, so on
    a two-core office PC the database writes overlap the parsing instead of following it.
    The queue is short, so memory stays bounded; an error on the writer thread is raised
    again on exit.
    """

    def __init__(self, write):
        self._write = write
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)

    def __enter__(self) -> "BackgroundWriter":
        self._thread.start()
        return self

    def submit(self, batch: list[tuple], tags: list[list[str]]) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((batch, tags))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._write(*item)
                except BaseException as exc:  # noqa: BLE001 — handed back to the reading thread
                    self._error = exc

    def __exit__(self, *exc_info) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc_info[0] is None:
            raise self._error
