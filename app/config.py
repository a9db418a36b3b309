"""Where the program keeps its data, and which database it talks to.

The database URL comes, in order, from ``--db URL`` on the command line, the
``SHUANGSUIJI_DB`` environment variable, the settings file in the user's config
folder (written by the settings dialog), and finally an SQLite file in the
user's data folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_ID

DB_ENV_VAR = "SHUANGSUIJI_DB"
DATA_DIR_ENV_VAR = "SHUANGSUIJI_DATA_DIR"
LOCAL_SETTINGS_FILE = "local.json"


def data_dir() -> Path:
    """The user's data folder (database, backups, edited templates)."""
    override = os.environ.get(DATA_DIR_ENV_VAR)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_sqlite_url() -> str:
    return sqlite_url(data_dir() / "workbench.sqlite3")


def _local_settings_path() -> Path:
    return data_dir() / LOCAL_SETTINGS_FILE


def read_local_settings() -> dict:
    """Per-PC settings that must be known before any database is opened."""
    path = _local_settings_path()
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_local_settings(values: dict) -> None:
    path = _local_settings_path()
    merged = {**read_local_settings(), **values}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


@dataclass(frozen=True)
class DatabaseChoice:
    url: str
    source: str  # 命令行 / 环境变量 / 本机设置 / 默认


def demo_database_url() -> str:
    """The sample county's own SQLite file, kept apart from the office's data."""
    return sqlite_url(data_dir() / "demo.sqlite3")


def requested_database_url(url: str | None, demo: bool) -> str | None:
    """What ``--db`` / ``--demo`` ask for; None leaves the choice to resolve_database_url."""
    if url:
        return url
    return demo_database_url() if demo else None


def resolve_database_url(cli_url: str | None = None) -> DatabaseChoice:
    if cli_url:
        return DatabaseChoice(cli_url, "命令行")
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return DatabaseChoice(env, "环境变量")
    saved = read_local_settings().get("database_url")
    if saved:
        return DatabaseChoice(saved, "本机设置")
    return DatabaseChoice(default_sqlite_url(), "默认")


def describe_url(url: str) -> str:
    """A human description of a database URL without its password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"本机数据库（SQLite）：{parsed.database}"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"共享数据库（PostgreSQL）：{parsed.username or ''}@{host}{port}/{parsed.database}"


def postgres_url(host: str, port: int, database: str, user: str, password: str) -> str:
    from sqlalchemy.engine import URL

    return URL.create(
        "postgresql+psycopg", username=user or None, password=password or None,
        host=host or "localhost", port=port or 5432, database=database,
    ).render_as_string(hide_password=False)


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).as_posix()}"
