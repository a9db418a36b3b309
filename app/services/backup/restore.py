"""Checked restore of a backup into the embedded database.

Nothing is touched until the backup has passed every check: it is the program's zip with its
manifest, its database unpacks completely with the recorded SHA-256, ``PRAGMA integrity_check``
says ok, its structure version is one this program can upgrade from, its audit chain holds and
its rows per table are those in the manifest. Then the current data is backed up (恢复前), and
the backup's pages are written into the database file by SQLite's backup API in one
transaction: a restore killed half-way leaves the current data as it was, and other windows
that have the file open see either the old data or the restored, never a mixture (replacing
the file underneath them would leave them writing into the old, unlinked copy).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.db import migrate
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.backup import BackupKind
from app.services.system import audit
from app.services.accounts import require
from app.services.backup.facts import (
    DataFacts,
    check_revision,
    read_only_uri,
    sqlite_facts,
)
from app.services.backup.sqlite_backup import (
    CHUNK,
    DATABASE_MEMBER,
    BackupInfo,
    create_backup,
    read_backup_info,
    require_sqlite,
)
from app.services.backup.write_lock import (
    acquire_write_lock,
    busy_message,
    is_busy_error,
)
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress

CHECK_SUFFIX = ".restore-check"


@dataclass(frozen=True)
class RestoreReport:
    backup: BackupInfo
    restored: DataFacts  # as found in the database after the switch (and any upgrade)
    safety_backup: BackupInfo | None

    def summary(self) -> str:
        lines = [(f"已恢复 {self.backup.created_at:%Y-%m-%d %H:%M} 的{self.backup.kind}备份"
                  f"（{self.backup.pc or '未知电脑'}）。")]
        if self.safety_backup is not None:
            lines.append(f"恢复前的数据已备份为 {self.safety_backup.path.name}。")
        return "\n".join(lines)


class _Unpacked:
    """The backup's database unpacked beside the live file, removed when the restore ends."""

    def __init__(self, live: Path):
        for stale in live.parent.glob(f"{live.name}.*{CHECK_SUFFIX}*"):
            stale.unlink(missing_ok=True)  # left by a restore that was killed
        self.path = live.with_name(f"{live.name}.{uuid.uuid4().hex[:8]}{CHECK_SUFFIX}")

    def remove(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def verify_backup(path: str | os.PathLike, into: Path, progress: Progress = NO_PROGRESS) -> BackupInfo:
    """Unpack the backup at ``path`` to ``into`` and check it; UserError names the first problem."""
    info = unpack_backup(path, into, progress)
    check_unpacked(info, into, progress)
    return info


def unpack_backup(path: str | os.PathLike, into: Path, progress: Progress = NO_PROGRESS) -> BackupInfo:
    """The manifest, and the database unpacked to ``into`` with the SHA-256 the manifest records."""
    path = Path(path)
    info = read_backup_info(path)
    name = path.name
    progress.step(0, 4, "正在解压并核对校验和…")
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(path) as archive, archive.open(DATABASE_MEMBER) as member, into.open("wb") as out:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, KeyError, EOFError, zlib.error, OSError) as exc:
        raise UserError(f"“{name}”已损坏或不完整，无法解压出其中的数据库（{exc}），未做任何更改。") from exc
    if digest.hexdigest() != info.sha256:
        raise UserError(f"“{name}”的校验和与备份时记录的不符，文件已被改动或损坏，未做任何更改。")
    return info


def check_unpacked(info: BackupInfo, unpacked: Path, progress: Progress = NO_PROGRESS) -> None:
    """integrity_check, a structure version this program knows, the manifest's counts, the audit chain."""
    name = info.path.name
    progress.step(1, 4, "正在检查数据库完整性（PRAGMA integrity_check）…")
    try:
        connection = sqlite3.connect(read_only_uri(unpacked), uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check(20)")]
            facts = sqlite_facts(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"“{name}”中的文件不是可用的数据库（{exc}），未做任何更改。") from exc
    if problems != ["ok"]:
        raise UserError(f"“{name}”中的数据库未通过完整性检查：{'；'.join(problems[:3])}。未做任何更改。")
    check_revision(facts.schema_revision, f"“{name}”")
    if facts.counts != info.facts.counts:
        raise UserError(f"“{name}”中各表的行数与备份说明不符，未做任何更改。")
    progress.step(2, 4, "正在核对审计日志链…")
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(read_only_uri(unpacked), uri=True))
    try:
        with Session(engine) as session:
            chain = audit.verify_chain(session)
    finally:
        engine.dispose()
    if not chain.ok:
        raise UserError(f"“{name}”中的审计日志在第 {chain.entries} 条断开（{chain.problem}），"
                        "这份备份不可信，未做任何更改。")


def check_backup(db: Database, path: str | os.PathLike, progress: Progress = NO_PROGRESS) -> BackupInfo:
    """Only the checks, for 检查备份: nothing is changed."""
    unpacked = _Unpacked(require_sqlite(db))
    try:
        return verify_backup(path, unpacked.path, progress)
    finally:
        unpacked.remove()


def restore_backup(db: Database, actor: Actor, path: str | os.PathLike,
                   progress: Progress = NO_PROGRESS) -> RestoreReport:
    """Check the backup, back up the current data, switch to the backup's data, upgrade it."""
    require(actor, Role.ADMIN)
    live = require_sqlite(db)
    unpacked = _Unpacked(live)
    try:
        info = unpack_backup(path, unpacked.path, progress)
        safety = _checked_with_safety_backup(db, info, unpacked.path, progress)
        progress.step(3, 4, "正在切换到备份的数据…")
        db.dispose()  # this window's idle connections; their caches would hold the old pages
        _switch(db, unpacked.path, live, progress)
    finally:
        unpacked.remove()
    db.dispose()
    migrate.upgrade(db.engine)
    with db.session() as session:
        audit.record(session, actor, "恢复备份", "database", live.name,
                     {"备份文件": Path(path).name, "备份时间": info.created_at.isoformat(timespec="seconds"),
                      "备份类型": info.kind, "恢复前备份": safety.path.name if safety else ""})
    with db.engine.connect() as connection:
        facts = sqlite_facts(connection.connection.driver_connection)
    progress.step(4, 4, "恢复完成")
    return RestoreReport(info, facts, safety)


def _checked_with_safety_backup(db: Database, info: BackupInfo, unpacked: Path,
                                progress: Progress) -> BackupInfo | None:
    """Check the unpacked backup while a second thread backs up the current data (恢复前): SQLite
    and zlib let go of the GIL, so on two cores the two take the time of the longer one. If the
    check fails, that backup is removed again: a refused restore leaves no trace."""
    with ThreadPoolExecutor(1, thread_name_prefix="safety-backup") as pool:
        safety = pool.submit(create_backup, db, BackupKind.RESTORE)
        try:
            check_unpacked(info, unpacked, progress)
        except BaseException:
            made = safety.exception() is None and safety.result()
            if made:
                made.path.unlink(missing_ok=True)
            raise
        progress.step(3, 4, "正在完成恢复前的备份…")
        return safety.result()


def _switch(db: Database, source: Path, live: Path, progress: Progress) -> None:
    """Copy every page of ``source`` into the live database in one write transaction."""
    reader = sqlite3.connect(read_only_uri(source), uri=True)
    writer = sqlite3.connect(live, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        acquire_write_lock(db, writer, "恢复备份", progress, wait=0)
        writer.execute("ROLLBACK")  # nobody is in a long write: the backup takes the lock itself
        try:
            reader.backup(writer)
        except sqlite3.OperationalError as exc:
            if is_busy_error(exc):
                raise UserError(busy_message(db, "恢复备份")) from exc
            raise
        writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        writer.close()
        reader.close()
