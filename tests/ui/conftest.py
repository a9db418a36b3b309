"""UI fixtures: a main window on a fresh SQLite database, optionally with the sample county."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from app.ui.context import AppContext
from tests.actors import CLERK, FIRST_ADMIN


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a test saves its screenshots: $SSJ_SCREENSHOTS (docs/screenshots) when set, else tmp_path."""
    folder = Path(os.environ.get("SSJ_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def context(sqlite_database) -> AppContext:
    return AppContext(db=sqlite_database, actor=FIRST_ADMIN)  # sets up the county: settings and lists


@pytest.fixture
def demo_context(sqlite_demo_county) -> AppContext:
    db = sqlite_demo_county(CLERK, subjects=300, today=date(2026, 11, 23))
    return AppContext(db=db, actor=CLERK, demo=True)


@pytest.fixture
def main_window(qtbot, demo_context):
    from app.ui.main_window import MainWindow

    window = MainWindow(demo_context)
    qtbot.addWidget(window)
    window.show()
    return window
