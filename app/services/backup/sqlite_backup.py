"""Backups of the embedded SQLite database.

A backup is one zip file (open with any unzip tool) holding ``database.sqlite3`` — a copy taken
with SQLite's online backup API, consistent while the program and other windows keep writing —
and ``manifest.json``: when, why (每日/手动/升级前/恢复前), from which PC, the SHA-256 and size
of the database file, its structure version, rows per table and the audit log's newest hash.
The file appears under its final name only when it is complete (written as a hidden ``.part``
and renamed), so a backup killed half-way leaves nothing that looks like a backup.

Backups go into ``backups`` in the data folder, or a folder the admin chose for this PC (a USB
stick, a network share). After each one, the last 30 days that have backups keep their newest,
the last 12 months keep their newest, and today's are all kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import __version__, config
from app.db import migrate
from app.db.session import Database
from app.domain.backup import BackupKind
from app.services.backup.facts import DataFacts, read_only_uri, sqlite_facts
from app.services.backup.write_lock import sqlite_file
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress

FORMAT = "双随机工作台数据库备份"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = "database.sqlite3"
BACKUP_DIR_SETTING = "backup_dir"
KEEP_DAILY = 30
KEEP_MONTHLY = 12
CHUNK = 1 << 20

POSTGRES_NOTE = ("当前使用的是共享数据库（PostgreSQL），本程序不备份数据库服务器：请由服务器管理员用 "
                 "PostgreSQL 自带的工具定期备份（如 pg_dump -Fc 库名 > 备份文件，恢复用 pg_restore），"
                 "或用“导出全部数据”（python -m app data export --out 文件）把全部数据存为一个文件。")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    kind: str
    database: str
    pc: str
    size: int
    facts: DataFacts
    sha256: str  # of the database file inside

    @property
    def subjects(self) -> int:
        return self.facts.counts.get("subjects", 0)


def backup_folder() -> Path:
    """Where this PC keeps its backups (the admin's choice, else the data folder's ``backups``)."""
    chosen = config.read_local_settings().get(BACKUP_DIR_SETTING)
    return Path(chosen) if chosen else config.data_dir() / "backups"


def choose_backup_folder(folder: str | os.PathLike | None) -> Path:
    """Keep backups in ``folder`` from now on (None: back to the data folder). Checks it is writable."""
    if folder:
        path = Path(folder)
        _check_writable(path)
        config.write_local_settings({BACKUP_DIR_SETTING: str(path)})
    else:
        config.write_local_settings({BACKUP_DIR_SETTING: None})
    return backup_folder()


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".写入测试.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UserError(f"无法在“{folder}”中写入备份（{exc.strerror or exc}）。请插好U盘或连通共享文件夹，"
                        "或换一个文件夹。") from exc


def require_sqlite(db: Database) -> Path:
    path = sqlite_file(db)
    if path is None:
        raise UserError(POSTGRES_NOTE)
    return path


def create_backup(db: Database, kind: BackupKind = BackupKind.MANUAL, folder: str | os.PathLike | None = None,
                  progress: Progress = NO_PROGRESS, now: datetime | None = None) -> BackupInfo:
    """Copy the database into a new backup file; returns what it holds."""
    source = require_sqlite(db)
    if not source.exists():
        raise UserError(f"找不到数据库文件“{source}”，无法备份。")
    target_dir = Path(folder) if folder else backup_folder()
    _check_writable(target_dir)
    now = now or datetime.now()
    final = _free_name(target_dir, f"{source.stem}-{now:%Y%m%d-%H%M%S}-{kind.code}")
    snapshot = target_dir / f".{final.stem}.sqlite3.part"
    packed = target_dir / f".{final.name}.part"
    try:
        progress.step(0, 3, "正在复制数据库（其他窗口可照常工作）…")
        facts = _snapshot(source, snapshot)
        progress.step(1, 3, "正在压缩并计算校验和…")
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                    "created_at": now.isoformat(timespec="seconds"), "kind": kind.value,
                    "database": source.name, "pc": platform.node(), "program_version": __version__,
                    **facts.to_json()}
        _pack(snapshot, packed, manifest, progress)
        os.replace(packed, final)
    except OSError as exc:
        raise UserError(f"备份未完成：写入“{target_dir}”时出错（{exc.strerror or exc}）。"
                        "数据库未受影响，请检查该文件夹的剩余空间。") from exc
    finally:
        snapshot.unlink(missing_ok=True)
        packed.unlink(missing_ok=True)
    progress.step(3, 3, "备份完成")
    prune(target_dir, source.name)
    return read_backup_info(final)


def _free_name(folder: Path, stem: str) -> Path:
    candidate, number = folder / f"{stem}.zip", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{number}.zip"
    return candidate


def _snapshot(source: Path, snapshot: Path) -> DataFacts:
    """One backup step over the whole file: in WAL mode it reads a single consistent snapshot and
    never blocks a writer (a stepwise copy would restart whenever another window writes)."""
    snapshot.unlink(missing_ok=True)
    reader = sqlite3.connect(read_only_uri(source), uri=True)
    copy = sqlite3.connect(snapshot)
    try:
        reader.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a stand-alone file, without -wal/-shm
        return sqlite_facts(copy)
    finally:
        copy.close()
        reader.close()


def _pack(snapshot: Path, packed: Path, manifest: dict, progress: Progress) -> None:
    digest = hashlib.sha256()
    size = snapshot.stat().st_size
    done = 0
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with snapshot.open("rb") as raw, archive.open(DATABASE_MEMBER, "w", force_zip64=True) as member:
            while chunk := raw.read(CHUNK):
                digest.update(chunk)
                member.write(chunk)
                done += len(chunk)
                if done % (64 * CHUNK) == 0:
                    progress.step(1, 3, f"正在压缩并计算校验和…（{done * 100 // max(size, 1)}%）")
        manifest = {**manifest, "sha256": digest.hexdigest(), "size": size}
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    with packed.open("rb+") as written:
        os.fsync(written.fileno())


def read_manifest(path: Path) -> dict:
    """The manifest of a backup file; UserError if the file is not one."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except FileNotFoundError as exc:
        raise UserError(f"找不到文件“{path}”。") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, EOFError) as exc:
        raise UserError(f"“{name}”不是本程序的备份文件（无法读出其中的备份说明，文件可能不完整或已损坏），"
                        "未做任何更改。") from exc
    except OSError as exc:
        raise UserError(f"无法读取“{name}”：{exc.strerror or exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UserError(f"“{name}”不是本程序的备份文件，未做任何更改。")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise UserError(f"“{name}”由更新版本的程序备份，本程序无法读取。请先升级程序，未做任何更改。")
    return manifest


def read_backup_info(path: Path) -> BackupInfo:
    manifest = read_manifest(path)
    try:
        return BackupInfo(path, datetime.fromisoformat(manifest["created_at"]), manifest["kind"],
                          manifest["database"], manifest.get("pc", ""), path.stat().st_size,
                          DataFacts.from_json(manifest), str(manifest["sha256"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise UserError(f"“{path.name}”的备份说明不完整，不是本程序的备份文件，未做任何更改。") from exc


def list_backups(folder: str | os.PathLike | None = None, database: str | None = None) -> list[BackupInfo]:
    """The backups in ``folder`` (newest first), optionally only those of one database file;
    files that are not backups are passed over."""
    folder = Path(folder) if folder else backup_folder()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.zip"):
        try:
            info = read_backup_info(path)
        except UserError:
            continue
        if database is None or info.database == database:
            found.append(info)
    return sorted(found, key=lambda info: (info.created_at, info.path.name), reverse=True)


def prune(folder: Path, database: str, today: datetime | None = None) -> list[Path]:
    """Keep today's backups, the newest of each of the last 30 days that have one and the newest
    of each of the last 12 months, of one database file; remove the rest. Returns the removed files."""
    today = (today or datetime.now()).date()
    backups = list_backups(folder, database)
    keep: set[Path] = set()
    days: set = set()
    months: set = set()
    for info in backups:  # newest first
        day = info.created_at.date()
        if day == today:
            keep.add(info.path)
        if day not in days and len(days) < KEEP_DAILY:
            days.add(day)
            keep.add(info.path)
        month = (day.year, day.month)
        if month not in months and len(months) < KEEP_MONTHLY:
            months.add(month)
            keep.add(info.path)
    removed = [info.path for info in backups if info.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    stem = Path(database).stem
    for part in folder.glob(f".{stem}-*.part"):  # left by a backup that was killed a day or more ago
        if datetime.now().timestamp() - part.stat().st_mtime > 86_400:
            part.unlink(missing_ok=True)
    return removed


def daily_backup_due(db: Database, today: datetime | None = None) -> bool:
    """True on SQLite when this database has no backup from today in this PC's backup folder."""
    path = sqlite_file(db)
    if path is None or not path.exists():
        return False
    day = (today or datetime.now()).date()
    return not any(info.created_at.date() == day for info in list_backups(database=path.name))


def backup_before_upgrade(db: Database) -> BackupInfo | None:
    """Back up an SQLite database whose structure the program is about to upgrade; a backup that
    fails stops the upgrade (UserError), since the upgrade cannot be undone without it."""
    path = sqlite_file(db)
    if path is None or not path.exists():
        return None
    current = migrate.current_revision(db.engine)
    if current is None or current == migrate.head_revision():
        return None
    return create_backup(db, BackupKind.UPGRADE)
