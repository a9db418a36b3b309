"""Fixtures for the integration tests."""

from __future__ import annotations

import pytest

from tests.actors import log_in_cli_as


@pytest.fixture
def cli_as_demo_clerk(monkeypatch, request):
    """Commands that change data act as the demo accounts' 经办人 (clerk / demo1234); a test's
    fresh database gets the demo accounts first (``demo create`` makes them in an empty one)."""
    for name in ("database", "sqlite_database"):
        if name in request.fixturenames:
            from app.services.accounts.users import create_demo_accounts, has_accounts

            db = request.getfixturevalue(name)
            if not has_accounts(db):
                create_demo_accounts(db)
    log_in_cli_as(monkeypatch)
