"""UI fixtures: a main window on a fresh SQLite database, optionally with the sample county."""

from __future__ import annotations

from datetime import date

import pytest

from app.ui.context import AppContext


@pytest.fixture
def context(sqlite_database) -> AppContext:
    return AppContext(db=sqlite_database, actor="测试员@测试机")


@pytest.fixture
def demo_context(sqlite_demo_county) -> AppContext:
    db = sqlite_demo_county("测试员", subjects=300, today=date(2026, 11, 23))
    return AppContext(db=db, actor="测试员@测试机", demo=True)


@pytest.fixture
def main_window(qtbot, demo_context):
    from app.ui.main_window import MainWindow

    window = MainWindow(demo_context)
    qtbot.addWidget(window)
    window.show()
    return window
