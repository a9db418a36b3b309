"""A large subject file is read in a second process: the same findings, the same rows stored.

The file of these tests is small; lowering the size threshold sends it through the process.
"""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import select

import app.tabular.subject_rows as subject_rows
from app.db.models import Subject
from app.services.directory.imports import import_subjects
from app.services.errors import UserError
from app.services.progress import Cancelled, Progress
from tests.unit.tabular.messy_directory import write_messy_xlsx
from tests.actors import CLERK

COLUMNS = (Subject.credit_code, Subject.registration_no, Subject.name, Subject.established_on, Subject.risk_class,
           Subject.abnormal_operation, Subject.phone, Subject.region)


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    return write_messy_xlsx(tmp_path_factory.mktemp("messy") / "名录.xlsx", n=4_500)  # three batches


def _stored(db) -> list[tuple]:
    with db.session() as session:
        return sorted(session.execute(select(*COLUMNS)).all(), key=lambda r: (r[0] or "", r[1] or ""))


def _findings(result) -> list[tuple]:
    return [(i.row, i.column, i.message, i.severity, i.value) for i in result.issues]


def _import(db, path, second_process: bool, monkeypatch, **options):
    monkeypatch.setattr(subject_rows, "LARGE_FILE_BYTES", 0 if second_process else 10**12)
    spawned = []
    real = subject_rows.ProcessRows
    monkeypatch.setattr(subject_rows, "ProcessRows", lambda *a: spawned.append(1) or real(*a))
    result = import_subjects(db, CLERK, path, **options)
    assert bool(spawned) == (second_process and db.engine.dialect.name == "sqlite")  # PostgreSQL reads here
    return result


def test_the_second_process_finds_and_stores_exactly_what_this_one_does(sqlite_database, messy, monkeypatch,
                                                                         tmp_path):
    from app.db.migrate import upgrade
    from app.db.session import Database

    here = _import(sqlite_database, messy.path, False, monkeypatch)
    there = _import(sqlite_database, messy.path, True, monkeypatch)
    assert not here.committed and not there.committed
    assert _findings(there) == _findings(here) and (there.rows, there.rejected) == (here.rows, here.rejected)
    here = _import(sqlite_database, messy.path, False, monkeypatch, valid_only=True)
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    upgrade(other.engine)
    there = _import(other, messy.path, True, monkeypatch, valid_only=True)
    assert (there.imported, there.updated, there.rejected) == (here.imported, here.updated, here.rejected)
    assert _stored(other) == _stored(sqlite_database) and any(row[3] for row in _stored(other))  # dates too
    other.dispose()


def test_a_broken_file_is_refused_by_the_second_process_in_chinese(sqlite_database, tmp_path, monkeypatch):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook" * 100)
    with pytest.raises(UserError) as refused:
        _import(sqlite_database, path, True, monkeypatch)
    assert "无法" in str(refused.value) or "损坏" in str(refused.value)


def test_cancelling_stops_the_second_process_and_changes_nothing(sqlite_database, messy, monkeypatch):
    progress = Progress(lambda done, total, label: progress.cancel() if done else None)  # the clerk's 取消
    with pytest.raises(Cancelled):
        _import(sqlite_database, messy.path, True, monkeypatch, valid_only=True, progress=progress)
    assert _stored(sqlite_database) == [] and not multiprocessing.active_children()
