"""Several writers on one SQLite file (issue 17, point 4): a long import holds the write lock from
its start, so a second one waits for it (saying so) or is refused at once — never after its work."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import AuditEntry, Setting
from app.services.system import audit
from app.services.backup.write_lock import long_write, running_operation
from app.services.directory.check_items import import_check_items
from app.services.demo.county import bundled_lists
from app.services.errors import Cancelled, UserError
from app.services.progress import Progress
from tests.integration.backup_data import subject_count, write_subjects_csv
from tests.actors import CLERK, CLERK2

pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


ROOT = Path(__file__).resolve().parents[2]


def _cli(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app", "--db", url, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})


def test_two_processes_importing_at_once_both_finish(sqlite_database, tmp_path):
    """Two command-line imports start while a third (this test, importing too) holds the lock:
    both say they wait, naming it, and then both finish with all their rows."""
    files = [write_subjects_csv(tmp_path / "名录一.csv", 0, 30_000),
             write_subjects_csv(tmp_path / "名录二.csv", 500_000, 2_000)]
    started, release = threading.Event(), threading.Event()
    holder = _holding(sqlite_database, "导入检查对象名录", started, release)
    processes = [_cli(sqlite_database.url, "subjects", "import", str(path)) for path in files]
    readers = [_Reader(process) for process in processes]
    try:
        for reader in readers:
            assert reader.waiting.wait(240), reader.lines
    finally:
        release.set()
        holder.join()
    outputs = [(process.communicate(timeout=300)[0], reader.text()) for process, reader in zip(processes, readers)]

    assert [process.returncode for process in processes] == [0, 0], outputs
    for _out, err in outputs:
        assert "等待其他操作完成…（另一个窗口正在导入检查对象名录（李经办" in err and "Traceback" not in err
    assert subject_count(sqlite_database) == 32_000  # neither lost its work
    with sqlite_database.session() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
        assert actions.count("导入检查对象名录") == 2 and audit.verify_chain(session).ok
    assert running_operation(sqlite_database) is None


class _Reader:
    """Collects a process's stderr on a thread; ``waiting`` is set at its first 等待 line."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self.waiting = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(process.stderr,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)
            if line.startswith("等待"):
                self.waiting.set()

    def text(self) -> str:
        self._thread.join(10)
        return "".join(self.lines)


def _holding(db, kind: str, started: threading.Event, release: threading.Event) -> threading.Thread:
    def hold() -> None:
        with long_write(db, "李经办", kind) as session:
            session.add(Setting(key="held", value=1))
            session.flush()
            started.set()
            release.wait(300)
    thread = threading.Thread(target=hold)
    thread.start()
    assert started.wait(10)
    return thread


def _second_connection(db):
    from app.db.session import Database

    return Database(db.url)


def test_a_writer_that_may_not_wait_is_refused_at_the_start_naming_what_runs(sqlite_database):
    started, release = threading.Event(), threading.Event()
    thread = _holding(sqlite_database, "导入检查对象名录", started, release)
    other = _second_connection(sqlite_database)
    try:
        began = time.monotonic()
        with pytest.raises(UserError, match="另一个窗口正在导入检查对象名录（李经办，.*请等其完成后再导入事项清单"), \
                long_write(other, "赵经办", "导入事项清单", wait=0.5):
            pass
        assert time.monotonic() - began < 5
    finally:
        release.set()
        thread.join()
        other.dispose()
    with sqlite_database.session() as session:
        assert session.get(Setting, "held").value == 1  # the first one's work is kept


def test_an_item_import_waiting_for_a_subject_import_shows_it_and_can_be_cancelled(sqlite_database):
    started, release = threading.Event(), threading.Event()
    thread = _holding(sqlite_database, "导入检查对象名录", started, release)
    other = _second_connection(sqlite_database)
    labels: list[str] = []
    progress = Progress()

    def listen(_done, _total, label):
        labels.append(label)
        if label.startswith("等待") and len(labels) >= 3:
            progress.cancel()  # the clerk presses 取消 while it waits
    progress._listener = listen
    try:
        with pytest.raises(Cancelled):
            import_check_items(other, CLERK2, bundled_lists()[0], progress=progress)
    finally:
        release.set()
        thread.join()
        other.dispose()
    assert labels[0].startswith("等待其他操作完成…（另一个窗口正在导入检查对象名录（李经办")
    with sqlite_database.session() as session:
        assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "导入事项清单")).all()


def test_a_waiting_import_finishes_once_the_other_is_done(sqlite_database):
    started, release = threading.Event(), threading.Event()
    thread = _holding(sqlite_database, "导入检查对象名录", started, release)
    other = _second_connection(sqlite_database)
    labels: list[str] = []

    def listen(_done, _total, label):
        labels.append(label)
        if label.startswith("等待"):
            release.set()
    try:
        result = import_check_items(other, CLERK2, bundled_lists()[0], progress=Progress(listen))
    finally:
        release.set()
        thread.join()
        other.dispose()
    assert result.imported > 0 and any(label.startswith("等待其他操作完成") for label in labels)


def test_on_postgresql_long_writes_do_not_queue(database):
    """PostgreSQL locks rows, not the database: a second long write starts at once."""
    if database.backend != "postgresql":
        assert database.backend == "sqlite"
        return
    other = _second_connection(database)
    try:
        with long_write(database, "李经办", "导入检查对象名录") as first:
            first.add(Setting(key="a", value=1))
            first.flush()
            with long_write(other, "赵经办", "导入事项清单", wait=0) as second:
                second.add(Setting(key="b", value=2))
    finally:
        other.dispose()
    with database.session() as session:
        assert {s.key for s in session.scalars(select(Setting))} >= {"a", "b"}


def test_two_draw_starts_on_one_sqlite_file_one_is_refused_in_chinese(sqlite_database):
    """As on PostgreSQL: one process starts the draw, the other is told who holds it — for each of
    the demo county's tasks, two processes starting together."""
    from datetime import date

    from app.services.demo import county as demo

    from app.services.draw import ceremony as draws
    demo.create_demo(sqlite_database, CLERK, subjects=300, today=date(2026, 11, 23))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for task in draws.task_draw_states(sqlite_database):
        runners = [subprocess.Popen([sys.executable, "-m", "tests.integration.draw_steps", "steps",
                                     sqlite_database.url, str(task.id)], cwd=ROOT, env=env, text=True,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for _ in range(2)]
        for runner in runners:  # both are waiting on their input: they start together
            runner.stdin.write("start\n")
            runner.stdin.flush()
        outcomes = [runner.communicate(timeout=300) for runner in runners]
        proceeded = [out for out, _ in outcomes if out.startswith("ok")]
        refused = [err for _, err in outcomes if "正由" in err]
        assert len(proceeded) == 1 and len(refused) == 1, outcomes
        # the helper process lets the UserError end it (the command line would print its text alone)
        assert f"UserError: 该任务正由 {CLERK.name}@会议室电脑" in refused[0]
        assert "OperationalError" not in refused[0] and "locked" not in refused[0]
