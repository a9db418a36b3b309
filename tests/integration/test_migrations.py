"""Migrations on both backends: up, all the way down, up again; and no drift from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db import migrate
from app.db.models import Base
from app.db.session import Database


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_url):
    db = Database(empty_url)
    try:
        migrate.upgrade(db.engine)
        assert _tables(db) == set(Base.metadata.tables)
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        migrate.downgrade(db.engine, "base")
        assert _tables(db) == set()
        migrate.upgrade(db.engine)
        assert _tables(db) == set(Base.metadata.tables)
    finally:
        db.dispose()


def test_models_and_migrations_agree(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
