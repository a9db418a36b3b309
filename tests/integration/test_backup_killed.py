"""kill -9 during a backup or a restore leaves the current database intact (issue 17).

The backup or restore runs in a real second process that prints its progress; the test kills
it with SIGKILL when it reaches a chosen step, then opens the database as the next start would.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.db.session import Database
from app.services.backup.sqlite_backup import create_backup, list_backups
from tests.integration.backup_data import add_subjects, bulk_sqlite

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is a POSIX signal")

SUBJECTS = 100_000
ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from app.db.session import Database
from app.services.backup.restore import restore_backup
from app.services.backup.sqlite_backup import create_backup
from app.services.progress import Progress
from tests.actors import ADMIN

progress = Progress(lambda done, total, label: print(label, flush=True))
db = Database(sys.argv[2])
if sys.argv[1] == "backup":
    create_backup(db, progress=progress)
else:
    restore_backup(db, ADMIN, sys.argv[3], progress)
print("完成", flush=True)
"""


@pytest.fixture(scope="module")
def large_database(_sqlite_template, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("large") / "workbench.sqlite3"
    shutil.copy(_sqlite_template, path)
    bulk_sqlite(path, SUBJECTS)
    return path


def _facts(path: Path) -> tuple:
    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        subjects = connection.execute("SELECT count(*), max(name) FROM subjects").fetchone()
        audit = connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        connection.close()
    return integrity, subjects, audit


def _kill_at(step: str, *args: str, delay: float) -> str:
    """Run the child until it prints ``step``, wait ``delay`` s, SIGKILL it; returns its output."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ})
    seen = []
    for line in child.stdout:
        seen.append(line.strip())
        if step in line:
            time.sleep(delay)
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, f"the child ended before “{step}”: {seen} {child.stderr.read()}"
    return "\n".join(seen)


@pytest.mark.parametrize("step,delay", [("正在复制数据库", 0.05), ("正在压缩", 0.2)])
def test_a_backup_killed_half_way_leaves_the_database_and_no_backup(large_database, tmp_path, step, delay):
    live = tmp_path / "workbench.sqlite3"
    shutil.copy(large_database, live)
    before = _facts(live)

    _kill_at(step, "backup", f"sqlite:///{live.as_posix()}", delay=delay)

    assert _facts(live) == before and before[0] == [("ok",)]
    assert list_backups() == []  # the half-written file is hidden, never taken for a backup
    db = Database(f"sqlite:///{live.as_posix()}")
    try:
        assert create_backup(db).subjects == SUBJECTS  # and the next backup works
    finally:
        db.dispose()


@pytest.mark.parametrize("step,delay", [("正在检查数据库完整性", 0.05), ("正在完成恢复前的备份", 0.0),
                                        ("正在切换到备份的数据", 0.0), ("正在切换到备份的数据", 0.15)])
def test_a_restore_killed_half_way_leaves_a_whole_database(large_database, tmp_path, step, delay):
    live = tmp_path / "workbench.sqlite3"
    shutil.copy(large_database, live)
    url = f"sqlite:///{live.as_posix()}"
    db = Database(url)
    try:
        backup = create_backup(db)
        add_subjects(db, 900_000, 1000)  # the current data differs from the backup's
    finally:
        db.dispose()
    current, restored = _facts(live), (backup.facts.counts["subjects"], backup.facts.audit_entries)

    output = _kill_at(step, "restore", url, str(backup.path), delay=delay)

    after = _facts(live)
    assert after[0] == [("ok",)], output
    if "切换" in step:
        assert after == current or (after[1][0], after[2]) == restored  # the old data or the backup's, whole
    else:
        assert after == current
    db = Database(url)
    try:  # the next restore cleans up after the killed one and succeeds
        from app.services.backup.restore import restore_backup
        from tests.actors import ADMIN

        restore_backup(db, ADMIN, backup.path)
    finally:
        db.dispose()
    assert _facts(live)[1][0] == restored[0]
    assert not list(tmp_path.glob("*.restore-check*"))
