"""Starting the GUI: the application object, the database, the main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.ui.long_lived import making_long_lived_objects

with making_long_lived_objects():
    # The Qt-free modules first: once PySide6 is imported it reads the source of every module
    # imported after it (its __feature__ hook), which for SQLAlchemy and the models cost about a
    # fifth of start-up from source.
    from app import APP_NAME
    from app.config import describe_url
    from app.paths import resources_dir
    from app.services.demo import county as demo
    from app.services.accounts import users
    from app.services.system.database import complete_mappings, open_database
    from app.services.errors import UserError
    from app.config import requested_database_url
    from app.domain.accounts import Actor

    from PySide6.QtCore import QLibraryInfo, QLocale, QThreadPool, QTimer, QTranslator
    from PySide6.QtGui import QFont, QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

    from app.ui.accounts.login_dialog import log_in
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow
    from app.ui.backup.startup import start_daily_backup

    complete_mappings()  # else done by the first query (the log-in), outside this block


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    _load_qt_translation(app)
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


def qt_translation_folders() -> list[Path]:
    """Where qtbase_zh_CN.qm is: Qt's own folder (PySide6/Qt/translations, also in the bundle)."""
    import PySide6

    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    folders += [Path(PySide6.__file__).parent / sub / "translations" for sub in ("Qt", "")]
    return folders


def _load_qt_translation(app: QApplication) -> None:
    """Qt's standard dialogs (file dialog, Yes/No, OK/Cancel, the context menus) in Chinese."""
    if getattr(app, "_qt_translator", None) is not None:
        return
    translator = QTranslator(app)
    for folder in qt_translation_folders():
        if translator.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(translator)
            app._qt_translator = translator  # kept: a translator that is collected stops translating
            return


def _fill_demo_if_empty(db) -> Actor | None:
    """The sample county and its four accounts (password demo1234), made as its 经办人, who is
    returned then: the start logs in once (the password check is deliberately slow)."""
    if not users.has_accounts(db):
        users.create_demo_accounts(db)
    if not demo.is_empty(db):
        return None
    dialog = QProgressDialog("正在生成示例县数据…", "", 0, 0)
    dialog.setCancelButton(None)
    dialog.setWindowTitle(APP_NAME)
    dialog.show()
    QApplication.processEvents()
    clerk = users.login(db, "clerk", users.DEMO_PASSWORD).actor
    demo.create_demo(db, clerk, with_publications=True, with_results=True)
    dialog.close()
    return clerk


def _offer_setup_wizard(context: AppContext, window: MainWindow) -> None:
    """An empty database, or a 建库向导 left half-way: offer to (re)start it."""
    from app.services.system import setup
    from app.ui.system.setup_wizard import SetupWizard

    last = setup.last_finished_step(context.db)
    if demo.is_empty(context.db) and last < 0:
        question = "这是一个新的数据库。现在用建库向导建立“一单两库一细则”吗？\n（也可以以后在“一单两库一细则 → 工作细则”页打开向导。）"
    elif 0 <= last < len(setup.STEPS) - 1:
        question = f"建库向导上次停在“{setup.STEPS[last + 1]}”一步。现在继续吗？"
    else:
        return
    if QMessageBox.question(window, APP_NAME, question) == QMessageBox.StandardButton.Yes:
        SetupWizard(context, parent=window).exec()
        window.current_page().refresh()


def run_gui(args: argparse.Namespace) -> int:
    app = make_application()
    from app.ui.system import error_dialog

    error_dialog.install()
    if not args.demo:
        from app.services.server.autostart import start_with_program_if_chosen

        try:
            start_with_program_if_chosen()  # this PC is the office server, started with the program
        except UserError as exc:
            QMessageBox.warning(None, APP_NAME, f"本机的局域网服务器没能启动，其他电脑暂时无法使用共享数据。\n{exc}")
    try:
        db = open_database(requested_database_url(args.db, args.demo))
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, f"{exc}\n\n可用 --db 指定其他数据库，或删除本机设置中的数据库地址。")
        return 2
    try:
        actor = _fill_demo_if_empty(db) if args.demo else None
        actor = actor or log_in(db, describe_url(db.url), demo=bool(args.demo))
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 2
    if actor is None:
        db.dispose()
        return 0
    context = AppContext(db=db, actor=actor, demo=bool(args.demo))
    window = MainWindow(context)
    window.show()
    QTimer.singleShot(0, lambda: start_daily_backup(window, context))  # once the window is on screen
    if not args.demo:
        _offer_setup_wizard(context, window)
    status = app.exec()
    QThreadPool.globalInstance().waitForDone(10_000)  # let background work end before teardown
    db.dispose()
    return status
