"""What a backup or an archive says about the data it holds: structure version, rows per table,
the audit log's length and newest hash. Read from a plain sqlite3 connection to a snapshot."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError

from app.db.migrate import MIGRATIONS_DIR, head_revision
from app.services.errors import UserError

VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class DataFacts:
    schema_revision: str
    counts: dict[str, int] = field(default_factory=dict)
    audit_entries: int = 0
    audit_head: str = ""

    def to_json(self) -> dict:
        return {"schema_revision": self.schema_revision, "counts": self.counts,
                "audit": {"entries": self.audit_entries, "head": self.audit_head}}

    @classmethod
    def from_json(cls, data: dict) -> "DataFacts":
        audit = data.get("audit") or {}
        return cls(str(data["schema_revision"]), {str(k): int(v) for k, v in data["counts"].items()},
                   int(audit.get("entries", 0)), str(audit.get("head", "")))


def sqlite_facts(connection: sqlite3.Connection) -> DataFacts:
    """Facts of an SQLite database; raises sqlite3.DatabaseError if the file is not one."""
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    revision = ""
    if VERSION_TABLE in tables:
        row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        revision = row[0] if row else ""
    counts = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
              for name in tables if name != VERSION_TABLE}
    entries, head = 0, ""
    if "audit_log" in tables:
        entries = counts["audit_log"]
        row = connection.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        head = row[0] if row else ""
    return DataFacts(revision, counts, entries, head)


def check_revision(revision: str, what: str) -> None:
    """Refuse data whose structure this program cannot upgrade from (none, or a newer program's)."""
    if not revision:
        raise UserError(f"{what}中没有本程序的数据库结构版本，不是本程序的数据，未做任何更改。")
    try:
        known = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision)
    except (CommandError, RevisionError):
        known = None
    if known is None:
        raise UserError(f"{what}的数据库结构版本为 {revision}，本程序（最新为 {head_revision()}）不认识："
                        "它可能来自更新版本的程序。请先把本程序升级到同一版本，未做任何更改。")
