"""Moving the whole dataset (issue 17, point 3): export, import into an empty database of either
kind, and the demo county's round trip SQLite → PostgreSQL → SQLite."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from app import config
from app.db.models import AuditEntry, Subject
from app.db.session import Database
from app.services.system import audit
from app.services.demo import county as demo
from app.services.backup.archive import MANIFEST, export_data
from app.services.backup.archive_import import import_data
from app.services.errors import UserError
from tests.integration.backup_data import add_subjects
from tests.actors import CLERK

pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory, _sqlite_template) -> Path:
    """The demo county on SQLite, with one office template edited, exported once."""
    import shutil

    folder = tmp_path_factory.mktemp("demo")
    shutil.copy(_sqlite_template, folder / "demo.sqlite3")
    db = Database(f"sqlite:///{(folder / 'demo.sqlite3').as_posix()}")
    forms = folder / "data" / "forms"
    forms.mkdir(parents=True)
    (forms / "检查通知书.docx").write_bytes(b"PK\x03\x04 the office's own letterhead")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHUANGSUIJI_DATA_DIR", str(folder / "data"))
        try:
            demo.create_demo(db, CLERK)
            return export_data(db, folder / "青禾县.zip").path
        finally:
            db.dispose()


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != MANIFEST}


def test_the_demo_county_moves_sqlite_to_postgresql_to_sqlite_unchanged(demo_archive, pg_server, tmp_path,
                                                                        monkeypatch):
    original = _manifest(demo_archive)
    order = [t["name"] for t in original["tables"]]
    from app.db.models import Base
    from app.db.models.tallies import TRIGGER_KEPT_TABLES

    assert not set(TRIGGER_KEPT_TABLES) & set(order)  # the triggers make them again on import
    for table in Base.metadata.sorted_tables:  # parents before children, as the import inserts them
        if table.name not in TRIGGER_KEPT_TABLES:
            assert all(order.index(fk.column.table.name) <= order.index(table.name) for fk in table.foreign_keys)
    assert next(t for t in original["tables"] if t["name"] == "subjects")["rows"] == 3000
    assert original["files"] and original["files"][0]["path"] == "files/forms/检查通知书.docx"

    server_url = pg_server.create_database("ssj_moved")
    on_server = import_data(server_url, demo_archive)
    assert on_server.counts["subjects"] == 3000 and on_server.audit_entries == original["audit"]["entries"]
    moved = tmp_path / "from-server.zip"
    export_data(Database(server_url), moved)
    monkeypatch.setenv("SHUANGSUIJI_DATA_DIR", str(tmp_path / "second-pc"))  # another PC's data folder
    back_url = f"sqlite:///{(tmp_path / 'back.sqlite3').as_posix()}"
    back = import_data(back_url, moved)
    again = tmp_path / "back.zip"
    export_data(Database(back_url), again)

    for archive in (moved, again):
        manifest = _manifest(archive)
        assert manifest["tables"] == original["tables"]  # columns, rows and SHA-256 of every table
        assert manifest["audit"] == original["audit"] and manifest["files"] == original["files"]
        assert _members(archive) == _members(demo_archive)
    assert back.files_written == 1
    assert (config.data_dir() / "forms" / "检查通知书.docx").read_bytes().endswith(b"letterhead")


def test_after_an_import_the_program_carries_on_adding_rows(demo_archive, empty_url):
    """On PostgreSQL the id sequences continue after the imported ids; the chain goes on."""
    import_data(empty_url, demo_archive)
    db = Database(empty_url)
    try:
        add_subjects(db, 800_000, 3)
        with db.session() as session:
            assert session.scalar(select(func.max(Subject.id))) == 3003
            assert audit.verify_chain(session).ok
            assert session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first().action == "测试添加"
    finally:
        db.dispose()


def test_import_refuses_a_database_that_holds_data(demo_archive, database):
    add_subjects(database, 0, 1)
    with pytest.raises(UserError, match="不是空的.*未做任何更改"):
        import_data(database.url, demo_archive)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Subject)) == 1


def _tampered(archive: Path, out: Path, member: str, change) -> Path:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, change(data) if name == member else data)
    return out


def _edit_first_subject(data: bytes) -> bytes:
    return data.replace("青禾县".encode(), "白河县".encode(), 1)


def _forge_manifest(data: bytes) -> bytes:
    """The archive claims a structure version no program has."""
    manifest = json.loads(data)
    manifest["schema_revision"] = "ffff"
    return json.dumps(manifest).encode()


@pytest.mark.parametrize("member,change,pattern", [
    ("tables/subjects.jsonl", _edit_first_subject, "校验和或行数不符"),
    ("tables/audit_log.jsonl", lambda data: data[: len(data) // 2], "校验和或行数不符"),
    (MANIFEST, _forge_manifest, "不认识"),
    (MANIFEST, lambda data: b"{}", "不是本程序导出的数据文件"),
])
def test_a_damaged_or_foreign_archive_is_refused_and_the_target_stays_empty(demo_archive, empty_url, tmp_path,
                                                                            member, change, pattern):
    bad = _tampered(demo_archive, tmp_path / "bad.zip", member, change)
    with pytest.raises(UserError, match=pattern):
        import_data(empty_url, bad)
    db = Database(empty_url)
    try:
        with db.engine.connect() as connection:
            assert inspect(connection).get_table_names() == []  # refused before anything was built
    finally:
        db.dispose()


def test_a_forged_audit_log_is_caught_after_loading_and_everything_is_undone(demo_archive, empty_url, tmp_path):
    """The archive's checksums were recomputed after an audit entry was changed: the tables load,
    the chain check fails inside the transaction, and the target keeps no rows."""
    import hashlib

    def forge(archive_bytes: dict) -> None:
        lines = archive_bytes["tables/audit_log.jsonl"].decode().splitlines(keepends=True)
        entry = json.loads(lines[0])
        entry["actor"] = "别人"
        lines[0] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        archive_bytes["tables/audit_log.jsonl"] = "".join(lines).encode()

    members = _members(demo_archive)
    forge(members)
    manifest = _manifest(demo_archive)
    for table in manifest["tables"]:
        table["sha256"] = hashlib.sha256(members[table["file"]]).hexdigest()
    bad = tmp_path / "forged.zip"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
        for name, data in members.items():
            archive.writestr(name, data)

    with pytest.raises(UserError, match="审计日志链校验未通过.*已全部撤回"):
        import_data(empty_url, bad)
    db = Database(empty_url)
    try:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Subject)) == 0
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    finally:
        db.dispose()


def test_cli_export_and_import_and_their_chinese_errors(demo_archive, tmp_path):
    target = f"sqlite:///{(tmp_path / 'cli.sqlite3').as_posix()}"
    done = subprocess.run([sys.executable, "-m", "app", "data", "import", str(demo_archive), "--db", target],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "检查对象 3,000" in done.stdout and "审计日志链" in done.stdout
    out = tmp_path / "again.zip"
    done = subprocess.run([sys.executable, "-m", "app", "--db", target, "data", "export", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and out.exists(), done.stderr
    refused = subprocess.run([sys.executable, "-m", "app", "data", "import", str(out), "--db", target],
                             cwd=ROOT, capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "不是空的" in refused.stderr and "Traceback" not in refused.stderr
