"""Loading a whole-data archive into an empty database of either kind, and proving it arrived.

Before anything is written the archive is read through once: the program's manifest, every
table file's SHA-256, a structure version this program knows. The target is then given the
archive's structure version, filled in one transaction (parents before children), and inside
that transaction every table is read back and encoded again: its row count and SHA-256 must be
the archive's, and the audit chain must hold, or the transaction is rolled back and the target
stays empty. On PostgreSQL the id sequences are moved past the loaded ids. Last, the structure
is upgraded to this program's newest.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData, func, inspect, select, sql
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import config
from app.config import DatabaseChoice, describe_url
from app.db import migrate
from app.db.session import Database
from app.services.system import audit
from app.services.backup.archive import (
    DECODERS,
    FILES_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    VERSION_TABLE,
    TableSpec,
    encoded_lines,
    reflect,
)
from app.services.backup.facts import TABLE_LABELS, check_revision
from app.services.system.database import open_choice
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress

BATCH = 2000


@dataclass(frozen=True)
class ImportReport:
    target: str
    schema_revision: str
    counts: dict[str, int]
    audit_entries: int
    files_written: int
    files_kept: int


def read_archive_manifest(path: Path) -> dict:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except FileNotFoundError as exc:
        raise UserError(f"找不到文件“{path}”。") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, EOFError, OSError) as exc:
        raise UserError(f"“{name}”不是本程序导出的数据文件（读不出其中的 manifest.json），未做任何更改。") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UserError(f"“{name}”不是本程序导出的数据文件，未做任何更改。")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise UserError(f"“{name}”由更新版本的程序导出，本程序无法读取。请先升级程序，未做任何更改。")
    return manifest


def check_archive(path: Path, progress: Progress = NO_PROGRESS) -> dict:
    """Read every member once and compare it with the manifest; returns the manifest."""
    manifest = read_archive_manifest(path)
    check_revision(str(manifest.get("schema_revision", "")), f"“{path.name}”")
    expected = {t["file"]: (t["sha256"], t["rows"]) for t in manifest["tables"]}
    expected.update({f["path"]: (f["sha256"], None) for f in manifest.get("files", [])})
    try:
        with zipfile.ZipFile(path) as archive:
            for number, (member, (sha, rows)) in enumerate(expected.items()):
                progress.step(number, len(expected), f"正在核对 {member}…")
                digest, lines = hashlib.sha256(), 0
                with archive.open(member) as stream:
                    for line in stream:
                        digest.update(line)
                        lines += 1
                if digest.hexdigest() != sha or (rows is not None and lines != rows):
                    raise UserError(f"“{path.name}”中的 {member} 与 manifest.json 记录的校验和或行数不符，"
                                    "文件已被改动或损坏，未做任何更改。")
    except (zipfile.BadZipFile, KeyError, EOFError, OSError) as exc:
        raise UserError(f"“{path.name}”已损坏或不完整（{exc}），未做任何更改。") from exc
    return manifest


def import_data(url: str, path: str | os.PathLike, progress: Progress = NO_PROGRESS) -> ImportReport:
    """Load the archive at ``path`` into the empty database at ``url``."""
    path = Path(path)
    manifest = check_archive(path, progress)
    revision = manifest["schema_revision"]
    specs = [TableSpec.from_json(t) for t in manifest["tables"]]
    db = open_choice(DatabaseChoice(url, "命令行"), upgrade=False)
    try:
        fresh = _prepare(db, revision)
        with db.engine.connect() as connection, connection.begin():
            metadata = reflect(connection)
            if fresh:
                _clear(connection, metadata)  # rows a migration itself may have put in are in the archive too
            _load(connection, metadata, path, specs, progress)
            _verify(connection, metadata, manifest, specs, progress)
            if connection.dialect.name == "postgresql":
                _move_sequences(connection)
        progress.step(len(specs), len(specs), "正在升级数据库结构…")
        migrate.upgrade(db.engine)
        written, kept = _restore_files(path, manifest)
        return ImportReport(describe_url(db.url), revision, {t["name"]: t["rows"] for t in manifest["tables"]},
                            manifest["audit"]["entries"], written, kept)
    except SQLAlchemyError as exc:
        raise UserError(f"导入时数据库报错，已全部撤回，目标数据库未写入任何数据：{getattr(exc, 'orig', exc)}") from exc
    finally:
        db.dispose()


def _prepare(db: Database, revision: str) -> bool:
    """Give the target the archive's structure version; refuse one that holds data.
    Returns True when this import created the structure."""
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = [t for t in inspect(connection).get_table_names() if t != VERSION_TABLE]
        if current is None and tables:
            raise UserError(f"{describe_url(db.url)} 中已有其他数据表，不是本程序的空数据库。"
                            "请换一个新建的空数据库，未做任何更改。")
        if current is not None:
            holding = [t for t in tables if connection.scalar(select(func.count()).select_from(sql.table(t)))]
            if holding:
                raise UserError(f"{describe_url(db.url)} 不是空的（{'、'.join(holding[:5])} 等表中已有数据）。"
                                "导入只能进入空数据库，以免两份数据混在一起；未做任何更改。")
    if current == revision:
        return False
    if current is not None and _is_ancestor(revision, current):
        migrate.downgrade(db.engine, revision)
    else:
        migrate.upgrade(db.engine, revision)
    return current is None


def _is_ancestor(older: str, newer: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    return any(r.revision == older for r in script.iterate_revisions(newer, "base"))


def _clear(connection: Connection, metadata: MetaData) -> None:
    for table in reversed(metadata.sorted_tables):
        if table.name != VERSION_TABLE:
            connection.execute(table.delete())


def _load(connection: Connection, metadata: MetaData, path: Path, specs: list[TableSpec],
          progress: Progress) -> None:
    missing = [s.name for s in specs if s.name not in metadata.tables]
    if missing:
        raise UserError(f"目标数据库缺少表 {'、'.join(missing)}，无法导入，未做任何更改。")
    with zipfile.ZipFile(path) as archive:
        for number, spec in enumerate(specs):
            progress.step(number, len(specs), f"正在导入{TABLE_LABELS.get(spec.name, spec.name)}…")
            table = metadata.tables[spec.name]
            decoders = [(c.name, DECODERS[c.kind]) for c in spec.columns if c.kind in DECODERS]
            batch: list[dict] = []
            with archive.open(spec.file) as stream:
                for line in stream:
                    row = json.loads(line)
                    for name, decode in decoders:
                        if row[name] is not None:
                            row[name] = decode(row[name])
                    batch.append(row)
                    if len(batch) == BATCH:
                        connection.execute(table.insert(), batch)
                        batch = []
            if batch:
                connection.execute(table.insert(), batch)


def _verify(connection: Connection, metadata: MetaData, manifest: dict, specs: list[TableSpec],
            progress: Progress) -> None:
    """Read every table back inside the loading transaction: same rows, same bytes, chain intact."""
    recorded = {t["name"]: t for t in manifest["tables"]}
    for number, spec in enumerate(specs):
        progress.step(number, len(specs), f"正在核对{TABLE_LABELS.get(spec.name, spec.name)}…")
        digest, rows = hashlib.sha256(), 0
        for line in encoded_lines(connection, metadata.tables[spec.name], spec):
            digest.update(line)
            rows += 1
        if rows != recorded[spec.name]["rows"] or digest.hexdigest() != recorded[spec.name]["sha256"]:
            raise UserError(f"导入后表 {spec.name} 的行数或校验和与导出时不符（{rows} 行），已全部撤回。")
    with Session(bind=connection) as session:
        chain = audit.verify_chain(session)
    if not chain.ok or chain.entries != manifest["audit"]["entries"]:
        raise UserError(f"导入后审计日志链校验未通过（第 {chain.entries} 条：{chain.problem or '条数不符'}），已全部撤回。")


def _move_sequences(connection: Connection) -> None:
    """Every serial id column's sequence continues after the largest id loaded."""
    rows = connection.execute(sql.text(
        "SELECT c.table_name, c.column_name, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) "
        "FROM information_schema.columns c WHERE c.table_schema = current_schema() "
        "AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL")).all()
    for table, column, sequence in rows:
        connection.execute(sql.text(
            f'SELECT setval(:sequence, COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'),
            {"sequence": sequence})


def _restore_files(path: Path, manifest: dict) -> tuple[int, int]:
    """Put the office's templates into this PC's data folder; a file already there is kept."""
    written = kept = 0
    root = config.data_dir()
    with zipfile.ZipFile(path) as archive:
        for entry in manifest.get("files", []):
            relative = entry["path"][len(FILES_PREFIX):]
            target = (root / relative).resolve()
            if root.resolve() not in target.parents:
                continue  # a name that would leave the data folder is not written
            if target.exists():
                kept += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(entry["path"]))
            written += 1
    return written, kept
