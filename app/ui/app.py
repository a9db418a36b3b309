"""Starting the GUI: the application object, the database, the main window."""

from __future__ import annotations

import argparse
import getpass
import platform
import sys

from PySide6.QtCore import QLocale, QThreadPool
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from app import APP_NAME
from app.cli.common import database_url
from app.paths import resources_dir
from app.services import demo
from app.services.database import open_database
from app.services.errors import UserError
from app.ui.context import AppContext
from app.ui.main_window import MainWindow


def current_actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "未知用户"
    return f"{user}@{platform.node() or '本机'}"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    font = QFont()
    font.setFamilies(["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
                      "PingFang SC", "sans-serif"])
    font.setPointSize(10)
    app.setFont(font)
    style = resources_dir() / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    app.setWindowIcon(QIcon(str(resources_dir() / "icon.png")))
    app.setDesktopFileName("shuangsuiji")  # Wayland/X11 match the window to installer/shuangsuiji.desktop
    return app


def _fill_demo_if_empty(context: AppContext) -> None:
    if not demo.is_empty(context.db):
        return
    dialog = QProgressDialog("正在生成示例县数据…", "", 0, 0)
    dialog.setCancelButton(None)
    dialog.setWindowTitle(APP_NAME)
    dialog.show()
    QApplication.processEvents()
    demo.create_demo(context.db, context.actor)
    dialog.close()


def _offer_setup_wizard(context: AppContext, window: MainWindow) -> None:
    """An empty database, or a 建库向导 left half-way: offer to (re)start it."""
    from app.services import setup
    from app.ui.wizards.setup_wizard import SetupWizard

    last = setup.last_finished_step(context.db)
    if demo.is_empty(context.db) and last < 0:
        question = "这是一个新的数据库。现在用建库向导建立“一单两库一细则”吗？\n（也可以以后在“一单两库一细则 → 工作细则”页打开向导。）"
    elif 0 <= last < len(setup.STEPS) - 1:
        question = f"建库向导上次停在“{setup.STEPS[last + 1]}”一步。现在继续吗？"
    else:
        return
    if QMessageBox.question(window, APP_NAME, question) == QMessageBox.StandardButton.Yes:
        SetupWizard(context, parent=window).exec()
        window.stack.currentWidget().refresh()


def run_gui(args: argparse.Namespace) -> int:
    app = make_application()
    if not args.demo:
        from app.services.server.autostart import start_with_program_if_chosen

        try:
            start_with_program_if_chosen()  # this PC is the office server, started with the program
        except UserError as exc:
            QMessageBox.warning(None, APP_NAME, f"本机的局域网服务器没能启动，其他电脑暂时无法使用共享数据。\n{exc}")
    try:
        db = open_database(database_url(args))
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, f"{exc}\n\n可用 --db 指定其他数据库，或删除本机设置中的数据库地址。")
        return 2
    context = AppContext(db=db, actor=current_actor(), demo=bool(args.demo))
    if args.demo:
        _fill_demo_if_empty(context)
    window = MainWindow(context)
    window.show()
    if not args.demo:
        _offer_setup_wizard(context, window)
    status = app.exec()
    QThreadPool.globalInstance().waitForDone(10_000)  # let background work end before teardown
    db.dispose()
    return status
