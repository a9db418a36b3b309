"""The first start of each day backs up the embedded database, in the background."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from app.domain.backup import BackupKind
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp, show_error


def start_daily_backup(window: QMainWindow, context: AppContext) -> BackgroundOp | None:
    """Back up if this database has no backup from today; the status bar says when it is done.
    A failed backup is shown, since the admin must then find another folder. Called once the
    main window is up: the backup module is loaded then, not before the first paint."""
    from app.services.backup import sqlite_backup

    if not sqlite_backup.daily_backup_due(context.db):
        return None
    db = context.db
    window.statusBar().showMessage("正在进行今天的自动备份…")

    def done(info: sqlite_backup.BackupInfo) -> None:
        window.statusBar().showMessage(f"今天的自动备份已完成：{info.path}", 15_000)

    def failed(exc: BaseException, details: str) -> None:
        window.statusBar().clearMessage()
        show_error(window, exc, details)

    return BackgroundOp(window, lambda progress: sqlite_backup.create_backup(db, BackupKind.DAILY), done) \
        .failure(failed).run_in_background()
