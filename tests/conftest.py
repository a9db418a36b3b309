"""Fixtures shared by every test folder.

Database tests take ``database`` (parametrised over SQLite and a real
PostgreSQL server started for the session) or ``empty_url`` for a database
with no schema yet. Each test gets its own fresh, migrated database, copied
from a template migrated once per session, so tests stay fast and isolated.
``demo_county`` does the same for the sample county: each county is built once per
session and backend, then copied for every test that asks for it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import date
from pathlib import Path

import pytest

# Widget tests run on a virtual 1366×768 screen: the commonest office PC (tests/ui/test_screen_fit.py).
_SCREEN = Path(__file__).resolve().parent / "data" / "screens" / "office-1366x768.json"
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN.as_posix()}")
os.environ.pop("SHUANGSUIJI_DB", None)

BACKENDS = ["sqlite", "postgresql"]

# The only skips `python3 dev.py test` accepts (it sets SHUANGSUIJI_NO_SKIPS): parameters that
# exist only for PostgreSQL. Any other skip (LibreOffice, poppler, zbar or the real provincial
# files missing) fails the run, so CI never silently stops checking something.
ALLOWED_SKIPS = ("two PCs share a PostgreSQL server; SQLite is one PC's own file",)
_unexpected_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and os.environ.get("SHUANGSUIJI_NO_SKIPS"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if not any(allowed in reason for allowed in ALLOWED_SKIPS):
            _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if _unexpected_skips and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _unexpected_skips:
        terminalreporter.section("不允许的跳过（SHUANGSUIJI_NO_SKIPS）", red=True)
        for line in _unexpected_skips:
            terminalreporter.line(line)
        terminalreporter.line("安装缺少的程序（.ci/run 会自动安装）或补上数据后重新运行。")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Nothing a test does may touch the real user's data folder."""
    monkeypatch.setenv("SHUANGSUIJI_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="session")
def pg_server():
    from tests.pg_server import PostgresServer, wait_until_ready

    server = PostgresServer().start()
    wait_until_ready(server)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    from app.db.migrate import upgrade
    from app.db.session import Database

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path.as_posix()}")
    upgrade(db.engine)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_template(pg_server) -> str:
    from app.db.migrate import upgrade
    from app.db.session import Database

    name = "ssj_template"
    db = Database(pg_server.create_database(name))
    upgrade(db.engine)
    db.dispose()
    return name


def _new_name() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def empty_url(backend, request, tmp_path) -> str:
    """A URL of a database with no tables, on each backend."""
    if backend == "sqlite":
        return f"sqlite:///{(tmp_path / 'empty.sqlite3').as_posix()}"
    return request.getfixturevalue("pg_server").create_database(_new_name())


def _fresh_url(backend: str, request, tmp_path: Path) -> str:
    if backend == "sqlite":
        path = tmp_path / "workbench.sqlite3"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path.as_posix()}"
    template = request.getfixturevalue("_pg_template")
    server = request.getfixturevalue("pg_server")
    import psycopg

    name = _new_name()
    with psycopg.connect(f"host=127.0.0.1 port={server.port} user={server.user} dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return server.url(name)


@pytest.fixture
def database(backend, request, tmp_path):
    """A fresh, migrated database on each backend."""
    from app.db.session import Database

    db = Database(_fresh_url(backend, request, tmp_path))
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(request, tmp_path):
    """A fresh, migrated SQLite database (for UI tests)."""
    from app.db.session import Database

    db = Database(_fresh_url("sqlite", request, tmp_path))
    yield db
    db.dispose()


def _copy_sqlite(template: Path, folder: Path) -> str:
    path = folder / f"{_new_name()}.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path.as_posix()}"


def _copy_pg(server, template: str) -> str:
    import psycopg

    name = _new_name()
    with psycopg.connect(f"host=127.0.0.1 port={server.port} user={server.user} dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return server.url(name)


@pytest.fixture(scope="session")
def _demo_templates(tmp_path_factory) -> dict:
    """(backend, actor, subjects, today, with_plan) → template file or database; "folder" → where files go."""
    return {"folder": tmp_path_factory.mktemp("demo")}


def _build_demo_template(backend: str, request, key: tuple, folder: Path) -> str | Path:
    """Make the sample county once in a database that then serves as a template."""
    from app.db.session import Database
    from app.services.demo import county as demo

    _, actor, subjects, today, with_plan = key
    if backend == "sqlite":
        url = _copy_sqlite(request.getfixturevalue("_sqlite_template"), folder)
    else:
        url = _copy_pg(request.getfixturevalue("pg_server"), request.getfixturevalue("_pg_template"))
    db = Database(url)
    demo.create_demo(db, actor, subjects=subjects, today=today, with_plan=with_plan)
    if backend == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return Path(url.removeprefix("sqlite:///")) if backend == "sqlite" else url.rsplit("/", 1)[1]


def _demo_factory(backend: str, request, tmp_path: Path, templates: dict, opened: list):
    def make(actor: str = "测试", subjects: int = 300, today: date = date(2026, 11, 23), with_plan: bool = True):
        from app.db.session import Database

        key = (backend, actor, subjects, today, with_plan)
        if key not in templates:
            templates[key] = _build_demo_template(backend, request, key, templates["folder"])
        if backend == "sqlite":
            url = _copy_sqlite(templates[key], tmp_path)
        else:
            url = _copy_pg(request.getfixturevalue("pg_server"), templates[key])
        db = Database(url)
        opened.append(db)
        return db

    return make


@pytest.fixture
def demo_county(backend, request, tmp_path, _demo_templates):
    """``demo_county(actor, subjects=…, today=…, with_plan=…)``: a fresh copy of the sample county."""
    opened: list = []
    yield _demo_factory(backend, request, tmp_path, _demo_templates, opened)
    for db in opened:
        db.dispose()


@pytest.fixture
def sqlite_demo_county(request, tmp_path, _demo_templates):
    """The same on SQLite only (for UI tests)."""
    opened: list = []
    yield _demo_factory("sqlite", request, tmp_path, _demo_templates, opened)
    for db in opened:
        db.dispose()
