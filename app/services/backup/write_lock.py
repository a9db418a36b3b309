"""One long write at a time on SQLite, and a clear word about who holds it.

SQLite lets one connection write at a time. A long import that starts with a plain BEGIN reads
first and asks for the write lock only at its first INSERT; if another window or PC has
written meanwhile, SQLite refuses it then — after minutes of work — with "database is locked".
``long_write`` takes the write lock with BEGIN IMMEDIATE before any work, so a second writer
either waits for it (showing "等待其他操作完成…" through its Progress, cancellable) or is
refused at once, by a Chinese message naming what is running. What is running is written to a
small file beside the database (``<database>.running.json``: kind, account, PC, process), since
a row written inside the long transaction would be invisible to the others until it commits.

On PostgreSQL, rows are locked one by one and writers do not queue behind each other, so a long
write is an ordinary session.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db.session import Database
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress

DEFAULT_WAIT = 600.0  # seconds a long write waits for another before it gives up
POLL_MS = 250  # the busy timeout of one attempt: how often the wait reports and can be cancelled
NORMAL_BUSY_MS = 10_000  # what app.db.session sets for every connection
RUNNING_SUFFIX = ".running.json"


def sqlite_file(db: Database) -> Path | None:
    """The database file, or None for PostgreSQL and in-memory databases."""
    parsed = make_url(db.url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


@dataclass(frozen=True)
class RunningOperation:
    kind: str
    actor: str
    pc: str
    pid: int
    started_at: str
    token: str

    def describe(self) -> str:
        where = "另一个窗口" if self.pc == platform.node() else f"另一台电脑（{self.pc}）"
        started = self.started_at[11:16]
        return f"{where}正在{self.kind}（{self.actor}，{started} 开始）"


def _marker(path: Path) -> Path:
    return path.with_name(path.name + RUNNING_SUFFIX)


def running_operation(db: Database) -> RunningOperation | None:
    """The long write recorded beside the database, unless its process is gone."""
    path = sqlite_file(db)
    if path is None:
        return None
    try:
        data = json.loads(_marker(path).read_text(encoding="utf-8"))
        running = RunningOperation(**data)
    except (OSError, ValueError, TypeError):
        return None
    if running.pc == platform.node() and not _alive(running.pid):
        return None  # left behind by a window that was closed by force
    return running


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":
        # on Windows os.kill(pid, 0) would end that process, not probe it; a marker is only read
        # while the database is busy, so taking it as current at worst names a finished operation
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but is not ours to signal
    return True


def busy_message(db: Database, what: str) -> str:
    """'另一个窗口正在导入检查对象名录（…）。请等其完成后再…' — or a general word if nothing is recorded."""
    running = running_operation(db)
    holder = running.describe() if running else "另一个窗口或另一台电脑正在写入数据"
    return f"{holder}。请等其完成后再{what}。"


def is_busy_error(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in str(exc)


def acquire_write_lock(db: Database, raw: sqlite3.Connection, kind: str, progress: Progress,
                       wait: float) -> None:
    """BEGIN IMMEDIATE on ``raw``, retried until ``wait`` seconds have passed; each retry tells
    the progress listener who is writing, and a cancelled progress stops the wait."""
    deadline = time.monotonic() + wait
    raw.execute(f"PRAGMA busy_timeout={POLL_MS}")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy_error(exc):
                    raise
            if time.monotonic() >= deadline:
                raise UserError(busy_message(db, kind))
            running = running_operation(db)
            holder = running.describe() if running else "另一个窗口或另一台电脑正在写入数据"
            progress.step(0, 0, f"等待其他操作完成…（{holder}）")
    finally:
        raw.execute(f"PRAGMA busy_timeout={NORMAL_BUSY_MS}")


class _Announcement:
    """The marker file of one long write; removed only by the write that wrote it."""

    def __init__(self, path: Path, actor: str, kind: str):
        self.path = _marker(path)
        self.token = uuid.uuid4().hex
        record = RunningOperation(kind, actor, platform.node(), os.getpid(),
                                  datetime.now().isoformat(timespec="seconds"), self.token)
        temporary = self.path.with_name(f"{self.path.name}.{self.token}.tmp")
        try:
            temporary.write_text(json.dumps(record.__dict__, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)  # a read-only folder: the lock still holds, unnamed

    def withdraw(self) -> None:
        try:
            if json.loads(self.path.read_text(encoding="utf-8")).get("token") == self.token:
                self.path.unlink()
        except (OSError, ValueError):
            pass


@contextmanager
def long_write(db: Database, actor: object, kind: str, progress: Progress = NO_PROGRESS,
               wait: float = DEFAULT_WAIT) -> Iterator[Session]:
    """A session for a long write (``kind`` in Chinese, e.g. "导入检查对象名录"), holding SQLite's
    write lock from its start; committed when the block ends, rolled back on error."""
    path = sqlite_file(db)
    if path is None:
        with db.session() as session:
            yield session
        return
    with db.engine.connect() as connection:
        acquire_write_lock(db, connection.connection.driver_connection, kind, progress, wait)
        announcement = _Announcement(path, str(actor), kind)
        session = Session(bind=connection, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
            if connection.connection.driver_connection.in_transaction:
                connection.connection.driver_connection.rollback()
            announcement.withdraw()
