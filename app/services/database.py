"""Opening the database: resolve the URL, connect, apply migrations."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from app.config import DatabaseChoice, describe_url, resolve_database_url
from app.db import migrate
from app.db.session import Database
from app.services.backup.sqlite_backup import backup_before_upgrade
from app.services.errors import UserError


def open_database(url: str | None = None, upgrade: bool = True) -> Database:
    """Connect and bring the schema to the newest version (the user never runs a migration)."""
    choice = resolve_database_url(url)
    return open_choice(choice, upgrade)


def open_choice(choice: DatabaseChoice, upgrade: bool = True) -> Database:
    try:
        database = Database(choice.url)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise UserError(f"数据库地址无法识别：{choice.url}（来源：{choice.source}）。请在系统设置中改正。") from exc
    try:
        if upgrade:
            backup_before_upgrade(database)
            migrate.upgrade(database.engine)
        else:
            database.engine.connect().close()  # only proves the server answers
    except OperationalError as exc:
        database.dispose()
        raise UserError(
            f"无法打开{describe_url(database.url)}。请检查服务器是否开启、网络是否连通、"
            f"用户名和密码是否正确。\n详细信息：{exc.orig}"
        ) from exc
    return database


def schema_status(database: Database) -> tuple[str | None, str]:
    """(current revision, newest revision) for `db current`."""
    return migrate.current_revision(database.engine), migrate.head_revision()


def check_connection(url: str) -> str:
    """Try a database before the clerk saves it; returns its description or raises UserError."""
    database = open_choice(DatabaseChoice(url, "设置"), upgrade=False)
    try:
        return describe_url(database.url)
    finally:
        database.dispose()


def save_database_choice(url: str | None) -> None:
    """Remember this PC's database (None: back to the local SQLite file). Takes effect on restart."""
    from app.config import write_local_settings

    write_local_settings({"database_url": url})
