"""Opening the database: resolve the URL, connect, apply migrations."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import configure_mappers
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError

from app.config import DatabaseChoice, describe_url, resolve_database_url
from app.db import migrate
from app.db.session import Database
from app.services.errors import UserError


def open_database(url: str | None = None, upgrade: bool = True) -> Database:
    """Connect and bring the schema to the newest version (the user never runs a migration)."""
    choice = resolve_database_url(url)
    return open_choice(choice, upgrade)


def open_choice(choice: DatabaseChoice, upgrade: bool = True) -> Database:
    _check_sqlite_file(choice)
    try:
        database = Database(choice.url)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise UserError(f"数据库地址无法识别：{choice.url}（来源：{choice.source}）。请在系统设置中改正。") from exc
    try:
        if not upgrade:
            database.engine.connect().close()  # only proves the server answers
        elif not migrate.is_current(database.engine):  # the usual start finds it current: no Alembic
            from app.services.backup.sqlite_backup import backup_before_upgrade

            backup_before_upgrade(database)
            migrate.upgrade(database.engine, checked=True)
    except OperationalError as exc:
        database.dispose()
        raise UserError(
            f"无法打开{describe_url(database.url)}。请检查服务器是否开启、网络是否连通、"
            f"用户名和密码是否正确。\n详细信息：{exc.orig}"
        ) from exc
    except DatabaseError as exc:  # SQLite: "file is not a database"
        database.dispose()
        raise UserError(f"“{make_url(database.url).database}”不是本程序的数据库文件（可能是其他文件或已损坏）："
                        "请检查 --db 或系统设置中的数据库地址。") from exc
    return database


def complete_mappings() -> None:
    """Finish the ORM's mappings of every table now rather than at the first query (the GUI
    does it while loading its modules, where start-up's long-lived objects are made)."""
    configure_mappers()


def _check_sqlite_file(choice: DatabaseChoice) -> None:
    """A SQLite path whose folder does not exist is a typing mistake: never create folders for it."""
    try:
        url = make_url(choice.url)
    except (SQLAlchemyError, ValueError):
        return  # reported below in the words for an unrecognised address
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise UserError(f"数据库文件所在的文件夹“{folder}”不存在：请检查 --db 或系统设置中的数据库地址。")
        if Path(url.database).is_dir():
            raise UserError(f"“{url.database}”是一个文件夹，不是数据库文件：请检查数据库地址。")


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
