"""Where the program keeps its data, and which database it talks to.

The database URL comes, in order, from ``--db URL`` on the command line, the
``SHUANGSUIJI_DB`` environment variable, the settings file in the user's config
folder (written by the settings dialog), and finally an SQLite file in the
user's data folder.

A PostgreSQL password is never written into the settings file: it goes into a
password file only the user can read (mode 0600; the format of PostgreSQL's own
``.pgpass``), and the saved URL names that file as ``passfile``, so libpq reads
the password itself when it connects.
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
PASSWORD_FILE = "pgpass.conf"


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
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    saved = values.get("database_url")
    if saved and _password_of(saved):  # written by a version that kept it in plain text: move it out
        values["database_url"] = store_password(saved)
        _write_json(path, values)
    return values


def write_local_settings(values: dict) -> None:
    if values.get("database_url"):
        values = {**values, "database_url": store_password(values["database_url"])}
    path = _local_settings_path()
    _write_json(path, {**read_local_settings(), **values})


def _write_json(path: Path, merged: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def password_file() -> Path:
    return data_dir() / PASSWORD_FILE


def password_storage_text() -> str:
    """Where the settings dialog says the database password is kept."""
    where = ("您的 Windows 用户配置文件夹中（仅本人和本机系统管理员可读）" if os.name == "nt"
             else "只有本人可读的文件中（权限 0600）")
    return f"密码不写入设置文件，保存在{where}：{password_file()}，格式与 PostgreSQL 的 .pgpass 相同。"


def _password_of(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.password if parsed.get_backend_name() == "postgresql" else None


def _pgpass_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def store_password(url: str) -> str:
    """Move a PostgreSQL URL's password into the per-user password file; return the URL without it."""
    from sqlalchemy.engine import URL, make_url

    parsed = make_url(url)
    password = _password_of(url)
    if not password:
        return url
    path = password_file()
    key = ":".join(_pgpass_field(v) for v in (parsed.host or "localhost", str(parsed.port or 5432),
                                               parsed.database or "*", parsed.username or "*"))
    kept = []
    if path.exists():
        kept = [line for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith(key + ":")]
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join([*kept, f"{key}:{_pgpass_field(password)}"]) + "\n")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    without = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database,
                         {**parsed.query, "passfile": str(path)})
    return without.render_as_string(hide_password=False)


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
