"""What a backup or an archive says about the data it holds: structure version, rows per table,
the audit log's length and newest hash. Read from a plain sqlite3 connection to a snapshot."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from app.db.migrate import MIGRATIONS_DIR, head_revision
from app.services.errors import UserError

VERSION_TABLE = "alembic_version"
# What the clerk calls the tables a report counts (tables not named here show their own name).
TABLE_LABELS = {
    "subjects": "检查对象", "tags": "标签", "subject_tags": "标签关联", "inspectors": "执法检查人员",
    "certificates": "执法证", "status_periods": "人员状态", "conflicts": "回避关系", "departments": "部门",
    "check_items": "抽查事项", "check_item_changes": "事项调整记录", "rulebooks": "工作细则",
    "item_guides": "工作指引", "plans": "抽查计划", "tasks": "抽查任务", "task_items": "任务事项",
    "task_participants": "参与部门", "draws": "抽取", "draw_steps": "抽取步骤", "teams": "检查组",
    "team_members": "检查组成员", "inspections": "检查", "item_results": "检查结果",
    "issued_documents": "已出具文书", "serial_counters": "文号", "publications": "公示",
    "calendar_days": "工作日历", "monthly_narratives": "月报说明", "report_filings": "报表报送", "saved_filters": "保存的筛选",
    "settings": "设置", "users": "账号", "audit_log": "审计日志",
}


def counts_text(counts: dict[str, int]) -> str:
    """'检查对象 3,000，执法检查人员 60，…' for the tables that have rows."""
    shown = [f"{TABLE_LABELS.get(name, name)} {count:,}" for name, count in counts.items() if count]
    return "，".join(shown) or "（没有数据）"


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
    def from_json(cls, data: dict) -> DataFacts:
        audit = data.get("audit") or {}
        return cls(str(data["schema_revision"]), {str(k): int(v) for k, v in data["counts"].items()},
                   int(audit.get("entries", 0)), str(audit.get("head", "")))


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening ``path`` read-only; '#', '?' and '%' in folder names are escaped."""
    return f"file:{quote(path.as_posix(), safe='/:')}?mode=ro"


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
    from alembic.script import ScriptDirectory  # here: the daily backup at start does not need Alembic
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    try:
        known = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision)
    except (CommandError, RevisionError):
        known = None
    if known is None:
        raise UserError(f"{what}的数据库结构版本为 {revision}，本程序（最新为 {head_revision()}）不认识："
                        "它可能来自更新版本的程序。请先把本程序升级到同一版本，未做任何更改。")
