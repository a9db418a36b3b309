"""Backups of the embedded database and the checked restore (issue 17, points 1 and 2)."""

from __future__ import annotations

import json
import sqlite3
import threading
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.db.models import AuditEntry, Subject
from app.domain.backup import BackupKind
from app.services.backup import sqlite_backup
from app.services.backup.restore import check_backup, restore_backup
from app.services.backup.sqlite_backup import (
    DATABASE_MEMBER,
    MANIFEST,
    create_backup,
    daily_backup_due,
    list_backups,
    prune,
)
from app.services.errors import UserError
from tests.actors import ADMIN, CLERK
from tests.integration.backup_data import add_subjects, subject_count


def _state(db) -> tuple:
    """What a clerk would notice: every subject, every audit entry."""
    with db.session() as session:
        subjects = session.execute(select(Subject.id, Subject.credit_code, Subject.name).order_by(Subject.id)).all()
        chain = session.scalars(select(AuditEntry.hash).order_by(AuditEntry.id)).all()
    return tuple(subjects), tuple(chain)


def test_restore_brings_back_the_data_of_the_backup_and_keeps_the_current_one(sqlite_database):
    db = sqlite_database
    add_subjects(db, 0, 50)
    backup = create_backup(db)
    assert backup.subjects == 50 and backup.kind == "手动" and backup.facts.audit_entries == 1
    kept = _state(db)
    add_subjects(db, 50, 30)  # work done after the backup, which the restore replaces
    with db.session() as session:
        session.execute(update(Subject).where(Subject.id == 1).values(name="改过的名称"))

    report = restore_backup(db, ADMIN, backup.path)

    subjects, chain = _state(db)
    assert (subjects, chain[:-1]) == kept  # the backup's data, then one entry recording the restore
    assert report.backup.facts.counts["subjects"] == 50 and report.restored.counts["subjects"] == 50
    assert report.safety_backup is not None and report.safety_backup.subjects == 80
    assert report.safety_backup.kind == "恢复前"
    with db.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "恢复备份" and last.details["备份文件"] == backup.path.name
    # the current data before the restore can itself be restored
    restore_backup(db, ADMIN, report.safety_backup.path)
    assert subject_count(db) == 80


def test_only_an_administrator_may_restore(sqlite_database):
    backup = create_backup(sqlite_database)
    with pytest.raises(UserError, match="管理员"):
        restore_backup(sqlite_database, CLERK, backup.path)


def test_a_backup_taken_while_another_connection_writes_is_consistent(sqlite_database):
    """Each write adds ten subjects and one audit entry together; any consistent copy has
    exactly ten subjects per entry, and a chain that holds."""
    from app.db.session import Database

    add_subjects(sqlite_database, 0, 20_000)
    writer_db = Database(sqlite_database.url)
    stop = threading.Event()
    written = []

    def write() -> None:
        number = 100_000
        while not stop.is_set():
            add_subjects(writer_db, number, 10)
            written.append(number)
            number += 10

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while len(written) < 3:
            pass
        backups = [create_backup(sqlite_database) for _ in range(3)]
    finally:
        stop.set()
        thread.join()
        writer_db.dispose()
    assert len(written) > 3
    for backup in backups:
        counts = backup.facts.counts
        assert counts["subjects"] == 20_000 + 10 * (counts["audit_log"] - 1)
        check_backup(sqlite_database, backup.path)  # checksum, integrity, audit chain


def _rewrite(backup: Path, out: Path, change_database=None, change_manifest=None) -> Path:
    """A copy of ``backup`` whose database (a sqlite3 connection) or manifest was changed, with the
    checksum recomputed as a forger would."""
    with zipfile.ZipFile(backup) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        data = archive.read(DATABASE_MEMBER)
    if change_database is not None:
        inner = out.with_suffix(".sqlite3")
        inner.write_bytes(data)
        change_database(inner)
        data = inner.read_bytes()
    import hashlib

    manifest["sha256"] = hashlib.sha256(data).hexdigest()
    if change_manifest is not None:
        change_manifest(manifest)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATABASE_MEMBER, data)
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return out


def _sql(statement: str):
    def run(path: Path) -> None:
        connection = sqlite3.connect(path)
        with connection:
            connection.execute(statement)
        connection.close()
    return run


def _damage_pages(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 3, len(raw) - page, page * 7):  # the page headers of several b-tree pages
        raw[start:start + 16] = b"\xff" * 16
    path.write_bytes(bytes(raw))


BAD_FILES = {
    "truncated": ("不是本程序的备份文件", lambda good, out: out.write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])),
    "bytes flipped": ("已损坏或不完整|校验和", lambda good, out: out.write_bytes(_flip(good.read_bytes()))),
    "a workbook": ("不是本程序的备份文件", lambda good, out: _workbook(out)),
    "a text file": ("不是本程序的备份文件", lambda good, out: out.write_text("备份", encoding="utf-8")),
    "checksum of another file": ("校验和", lambda good, out: _rewrite(
        good, out, change_manifest=lambda m: m.update(sha256="0" * 64))),
    "damaged pages": ("完整性检查|不是可用的数据库", lambda good, out: _rewrite(good, out, _damage_pages)),
    "audit entry altered": ("审计日志", lambda good, out: _rewrite(
        good, out, _sql("UPDATE audit_log SET actor = '别人' WHERE id = 1"))),
    "structure of a newer program": ("不认识", lambda good, out: _rewrite(
        good, out, _sql("UPDATE alembic_version SET version_num = 'ffff'"))),
    "another program's database": ("结构版本", lambda good, out: _rewrite(
        good, out, _sql("DROP TABLE alembic_version"))),
}


def _flip(data: bytes) -> bytes:
    middle = len(data) // 3
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 64]) + data[middle + 64:]


def _workbook(out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["统一社会信用代码"])
    book.save(out)


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_or_foreign_file_is_refused_in_chinese_and_nothing_changes(sqlite_database, tmp_path, kind):
    db = sqlite_database
    add_subjects(db, 0, 3000)
    good = create_backup(db).path
    add_subjects(db, 3000, 10)
    before = _state(db)
    backups_before = sorted(p.name for p in good.parent.iterdir())
    pattern, make = BAD_FILES[kind]
    bad = tmp_path / f"{kind}.zip"
    make(good, bad)

    with pytest.raises(UserError, match=pattern) as refused:
        restore_backup(db, ADMIN, bad)

    assert "未做任何更改" in str(refused.value)
    assert _state(db) == before
    assert sorted(p.name for p in good.parent.iterdir()) == backups_before  # not even a 恢复前 backup
    assert not list(Path(db.engine.url.database).parent.glob("*.restore-check*"))


def test_backups_are_kept_30_daily_and_12_monthly(sqlite_database, tmp_path):
    """A year and a half of daily backups, three on the last day: today's three, the newest of
    the 30 latest days and the newest of the 12 latest months remain."""
    with zipfile.ZipFile(create_backup(sqlite_database, folder=tmp_path / "tmp").path) as real:
        manifest = json.loads(real.read(MANIFEST))
    folder = tmp_path / "backups"
    folder.mkdir()
    today = datetime(2026, 11, 29, 9, 0)
    stamps = [today - timedelta(days=d) for d in range(540)] + [today.replace(hour=11), today.replace(hour=15)]
    for stamp in stamps:  # what pruning reads of a backup is its manifest
        with zipfile.ZipFile(folder / f"workbench-{stamp:%Y%m%d-%H%M%S}-daily.zip", "w") as archive:
            archive.writestr(MANIFEST, json.dumps({**manifest, "created_at": stamp.isoformat(),
                                                   "database": "workbench.sqlite3"}))

    removed = prune(folder, "workbench.sqlite3", today)

    left = sorted(info.created_at for info in list_backups(folder))
    assert len(removed) == len(stamps) - len(left)
    assert [d for d in left if d.date() == today.date()] == sorted(
        [today, today.replace(hour=11), today.replace(hour=15)])
    days = sorted({d.date() for d in left})
    assert days[-30:] == [(today - timedelta(days=n)).date() for n in range(29, -1, -1)]
    older = [d for d in days if d < (today - timedelta(days=29)).date()]
    months = {(d.year, d.month) for d in left}
    assert len(months) == 12 and all(d.day == _last_day(d) for d in older)  # the newest of each month


def _last_day(day) -> int:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (following - timedelta(days=1)).day


def test_the_first_start_of_a_day_makes_the_daily_backup(sqlite_database):
    assert daily_backup_due(sqlite_database)
    create_backup(sqlite_database, BackupKind.DAILY)
    assert not daily_backup_due(sqlite_database)
    assert daily_backup_due(sqlite_database, datetime.now() + timedelta(days=1))


def test_backups_go_to_the_folder_the_admin_chose(sqlite_database, tmp_path):
    usb = tmp_path / "U盘" / "备份"
    sqlite_backup.choose_backup_folder(usb)
    info = create_backup(sqlite_database)
    assert info.path.parent == usb and list_backups()[0].path == info.path
    sqlite_backup.choose_backup_folder(None)
    assert sqlite_backup.backup_folder().name == "backups"


def test_a_folder_that_cannot_be_written_is_named(sqlite_database, tmp_path):
    blocked = tmp_path / "只读文件"
    blocked.write_text("这是文件不是文件夹", encoding="utf-8")
    with pytest.raises(UserError, match="无法在.*只读文件"):
        create_backup(sqlite_database, folder=blocked / "备份")


def test_the_structure_upgrade_is_preceded_by_a_backup(tmp_path):
    from app.db import migrate
    from app.db.session import Database
    from app.services.system.database import open_database

    if migrate.head_revision() == "0001":
        pytest.skip("only one structure version so far: there is no upgrade to precede")
    url = f"sqlite:///{(tmp_path / 'old.sqlite3').as_posix()}"
    old = Database(url)
    migrate.upgrade(old.engine, "0001")
    with old.engine.begin() as connection:  # the 0001 tables, written without today's models
        connection.exec_driver_sql("INSERT INTO departments (name, short_name, is_office, active) "
                                   "VALUES ('青禾县市场监督管理局', '市监', 0, 1)")
    old.dispose()
    open_database(url).dispose()
    assert [info.kind for info in list_backups()] == ["升级前"]
    assert list_backups()[0].facts.schema_revision == "0001"


def test_on_postgresql_the_program_points_to_the_server_tools_and_the_export(database):
    if database.backend != "postgresql":
        assert create_backup(database).path.exists()
        return
    with pytest.raises(UserError, match="pg_dump.*data export"):
        create_backup(database)
    assert not daily_backup_due(database)
