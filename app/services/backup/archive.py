"""The whole-data archive: every table of either kind of database in one open zip file.

Layout (docs/data-format.md describes it for people who want to read it without the program):
``manifest.json`` — what the archive holds, table by table with columns, row counts and SHA-256;
``tables/<table>.jsonl`` — one JSON object per row, in primary-key order;
``files/…`` — the office's own document templates from the data folder.
The tables are read through reflection, not the program's models, so an archive carries a
database at whatever structure version it has; that version is recorded and the importing
program builds the same structure before loading and upgrades afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, select, sql
from sqlalchemy.sql import sqltypes

from app import __version__, config
from app.config import describe_url
from app.db.models.tallies import TRIGGER_KEPT_TABLES
from app.db.session import Database
from app.services.backup.facts import TABLE_LABELS
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress

FORMAT = "双随机工作台数据导出"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VERSION_TABLE = "alembic_version"
FILES_PREFIX = "files/"
FILE_FOLDERS = ("forms",)  # folders of the data folder that belong to the office's data
FETCH = 5000


def column_kind(column_type: sqltypes.TypeEngine) -> str:
    """The archive's name for a column type (the JSON encoding depends on it)."""
    for kind, types in (("boolean", sqltypes.Boolean), ("datetime", sqltypes.DateTime), ("date", sqltypes.Date),
                        ("time", sqltypes.Time), ("json", sqltypes.JSON), ("binary", sqltypes._Binary),
                        ("integer", sqltypes.Integer), ("decimal", sqltypes.Numeric),
                        ("text", sqltypes.String)):
        if isinstance(column_type, types):
            return kind
    raise UserError(f"数据库中有本程序不认识的列类型 {column_type!r}，无法导出。")


ENCODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.isoformat, "date": date.isoformat, "time": time.isoformat,
    "binary": lambda value: base64.b64encode(value).decode("ascii"), "decimal": str,
}
DECODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat, "date": date.fromisoformat, "time": time.fromisoformat,
    "binary": base64.b64decode, "decimal": Decimal,
}


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    primary_key: tuple[str, ...]

    @property
    def file(self) -> str:
        return f"tables/{self.name}.jsonl"

    def to_json(self) -> dict:
        return {"name": self.name, "file": self.file, "primary_key": list(self.primary_key),
                "columns": [{"name": c.name, "type": c.kind} for c in self.columns]}

    @classmethod
    def from_json(cls, data: dict) -> TableSpec:
        return cls(data["name"], tuple(ColumnSpec(c["name"], c["type"]) for c in data["columns"]),
                   tuple(data["primary_key"]))


def reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata


def table_specs(metadata: MetaData) -> list[TableSpec]:
    """Every data table, parents before children (the order an import inserts in).

    The tallies the database's triggers keep are left out: loading the inspections and
    publications makes them again in the target.
    """
    return [TableSpec(table.name, tuple(ColumnSpec(c.name, column_kind(c.type)) for c in table.c),
                      tuple(c.name for c in table.primary_key.columns) or tuple(c.name for c in table.c))
            for table in metadata.sorted_tables if table.name not in (VERSION_TABLE, *TRIGGER_KEPT_TABLES)]


def encoded_lines(connection: Connection, table: Table, spec: TableSpec) -> Iterator[bytes]:
    """The table's rows as archive lines, in primary-key order; the same data gives the same bytes
    on SQLite and PostgreSQL, which is what the import's hash check relies on."""
    columns = [table.c[c.name] for c in spec.columns]
    encoders = [ENCODERS.get(c.kind) for c in spec.columns]
    names = [c.name for c in spec.columns]
    order = [table.c[name] for name in spec.primary_key]
    result = connection.execution_options(yield_per=FETCH).execute(select(*columns).order_by(*order))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for row in result:
        values = {name: (value if encode is None or value is None else encode(value))
                  for name, encode, value in zip(names, encoders, row)}
        yield (dumps(values) + "\n").encode("utf-8")


@dataclass(frozen=True)
class ExportReport:
    path: Path
    schema_revision: str
    counts: dict[str, int]
    files: int


def export_data(db: Database, out: str | os.PathLike, progress: Progress = NO_PROGRESS) -> ExportReport:
    """Write every table (and the office's templates) to ``out``, one read transaction throughout."""
    out = Path(out)
    if out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
    temporary = out.with_name(f".{out.name}.part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with db.engine.connect() as connection, connection.begin(), \
                zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            if connection.dialect.name == "postgresql":  # one snapshot for every table
                connection.execute(sql.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            revision = migrate_revision(connection)
            metadata = reflect(connection)
            specs = table_specs(metadata)
            tables = []
            for number, spec in enumerate(specs):
                progress.step(number, len(specs), f"正在导出{TABLE_LABELS.get(spec.name, spec.name)}…")
                rows, digest = 0, hashlib.sha256()
                with archive.open(_member(spec.file), "w", force_zip64=True) as member:
                    for line in encoded_lines(connection, metadata.tables[spec.name], spec):
                        member.write(line)
                        digest.update(line)
                        rows += 1
                tables.append({**spec.to_json(), "rows": rows, "sha256": digest.hexdigest()})
            files = _add_files(archive)
            audit = _audit_head(connection)
            manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                        "exported_at": datetime.now().isoformat(timespec="seconds"),
                        "source": describe_url(db.url), "pc": platform.node(), "program_version": __version__,
                        "schema_revision": revision, "tables": tables, "audit": audit, "files": files}
            archive.writestr(_member(MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(temporary, out)
    except OSError as exc:
        raise UserError(f"无法写入“{out}”（{exc.strerror or exc}），未导出。") from exc
    finally:
        temporary.unlink(missing_ok=True)
    progress.step(len(specs), len(specs), "导出完成")
    return ExportReport(out, revision, {t["name"]: t["rows"] for t in tables}, len(files))


def _member(name: str) -> zipfile.ZipInfo:
    """A member dated now (zipfile's default is 1980), deflated."""
    info = zipfile.ZipInfo(name, datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def migrate_revision(connection: Connection) -> str:
    from alembic.runtime.migration import MigrationContext

    revision = MigrationContext.configure(connection).get_current_revision()
    if not revision:
        raise UserError("这个数据库还没有本程序的数据（没有结构版本），没有可导出的内容。")
    return revision


def _audit_head(connection: Connection) -> dict:
    row = connection.execute(sql.text("SELECT count(*), max(id) FROM audit_log")).one()
    head = ""
    if row[1] is not None:
        head = connection.execute(sql.text("SELECT hash FROM audit_log WHERE id = :id"), {"id": row[1]}).scalar_one()
    return {"entries": row[0], "head": head}


def _add_files(archive: zipfile.ZipFile) -> list[dict]:
    files = []
    root = config.data_dir()
    for folder in FILE_FOLDERS:
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else ():
            if not path.is_file() or path.name.startswith((".", "~$")):
                continue
            data = path.read_bytes()
            name = FILES_PREFIX + path.relative_to(root).as_posix()
            archive.writestr(_member(name), data)
            files.append({"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return files
