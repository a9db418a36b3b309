"""Alembic, driven from code: the program upgrades its database at every start.

No alembic.ini is needed (a frozen build has no working directory to look in);
the migrations folder sits beside this file and is bundled as data.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return script.get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head", checked: bool = False) -> None:
    """Bring the schema to ``revision``. At an ordinary start the database is already at the
    head: that is checked without loading Alembic (a good part of a second of start-up);
    ``checked``: the caller has just found it is not (is_current), so it is not asked again."""
    if revision == "head" and not checked and is_current(engine):
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def is_current(engine: Engine) -> bool:
    """The database's alembic_version names exactly the head revisions of the migration files."""
    try:
        with engine.connect() as connection:
            stored = set(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    except DBAPIError:
        return False  # no schema yet, or not a database: Alembic says what is wrong
    return bool(stored) and stored == _file_heads()


def _file_heads() -> set[str]:
    """The revisions no other revision names as its down_revision, read from the files' source."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = _identifiers(path.read_text(encoding="utf-8"))
        if "revision" in found:
            revisions.add(found["revision"])
        down = found.get("down_revision")
        parents.update(down if isinstance(down, (tuple, list)) else [down] if down else [])
    return revisions - parents


def _identifiers(source: str) -> dict[str, object]:
    """``revision`` and ``down_revision`` as a revision file assigns them. Alembic writes them
    before the first function, so only that part is parsed: the whole of a long migration took
    most of the check at every start. The whole file is read when that part does not parse by
    itself or does not name the revision."""
    cut = source.find("\ndef ")
    if cut >= 0:
        try:
            found = _assigned(ast.parse(source[:cut + 1]))
        except SyntaxError:
            found = {}
        if "revision" in found:
            return found
    return _assigned(ast.parse(source))


def _assigned(module: ast.Module) -> dict[str, object]:
    found = {}
    for node in module.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") \
                and getattr(node, "value", None) is not None:
            found[target.id] = ast.literal_eval(node.value)
    return found
