"""Starting the program: the first screen loads only what it shows (issue #18, benchmarks/bench_startup.py).

The document engine (docx, openpyxl, lxml, QR codes, Jinja), Alembic and the other work areas'
pages cost start-up time and are loaded when the clerk first uses them; the daily backup starts
once the window is up. Checked in a new process
started the way the clerk starts it (``python -m app --demo``), looking at what is loaded at the
moment the main window shows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from app.db.session import Database
from app.services.accounts import users
from tests.actors import CLERK

ROOT = Path(__file__).resolve().parents[2]

NOT_AT_START = [
    "docx", "docxtpl", "openpyxl", "lxml", "qrcode", "jinja2", "alembic", "xlrd", "PIL",
    "app.documents", "app.services.draw.ceremony", "app.ui.directory.area", "app.ui.draw.draw_page",
]

PROBE = """
import json, sys
from app.ui import main_window
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

WATCHED = json.loads(sys.argv[1])

def show_and_quit(self):
    main_window.QMainWindow.show(self)
    loaded = sorted(name for name in WATCHED if name in sys.modules)
    print("LOADED", json.dumps({"window": self.windowTitle(), "page": self.current_page().title, "loaded": loaded}))
    QTimer.singleShot(0, QApplication.quit)

main_window.MainWindow.show = show_and_quit
from app.__main__ import main
sys.argv[1:] = ["--demo"]
sys.exit(main())
"""


def test_the_demo_start_shows_the_overview_without_loading_the_document_engine(sqlite_demo_county, tmp_path):
    """…and the first start of the day still backs the database up, once the window is up."""
    data = tmp_path / "data"
    data.mkdir()
    county = sqlite_demo_county(CLERK, subjects=300, today=date(2026, 11, 23))
    url = county.url
    county.dispose()
    demo = Path(url.removeprefix("sqlite:///")).rename(data / "demo.sqlite3")
    accounts = Database(f"sqlite:///{demo.as_posix()}")
    users.create_demo_accounts(accounts)  # `--demo` logs its 经办人 in without the dialog
    accounts.dispose()

    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHUANGSUIJI_DATA_DIR": str(data)}
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(NOT_AT_START)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("LOADED "))
    shown = json.loads(line.removeprefix("LOADED "))
    assert shown["window"] == "双随机工作台（示例县）" and shown["page"] == "概览"
    assert shown["loaded"] == []
    assert [path.name.endswith("-daily.zip") for path in (data / "backups").iterdir()] == [True]
