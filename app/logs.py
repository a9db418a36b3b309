"""The program's log: a rotating file in the data folder, where the unexpected is written down.

Nothing a clerk does should end in a traceback on screen; when something unforeseen happens
anyway (a bug, a full disk), the details go here and the clerk is told where the file is, so
that it can be sent to whoever supports the program.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

from app import config

LOG_NAME = "shuangsuiji.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 5
logger = logging.getLogger("shuangsuiji")


def log_path() -> Path:
    return config.data_dir() / "logs" / LOG_NAME


def _handler_for(path: Path) -> logging.Handler | None:
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            return handler
    return None


def setup_logging() -> Path:
    """Attach the rotating file (once per data folder); returns its path."""
    path = log_path()
    if _handler_for(path) is None:
        for handler in list(logger.handlers):  # a test may have moved the data folder
            logger.removeHandler(handler)
            handler.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS,
                                                       encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return path


def details(exc_type, exc, tb) -> str:
    """The traceback as text, for the log and for the dialog's 复制详细信息."""
    from app import __version__

    return f"双随机工作台 {__version__}\n" + "".join(traceback.format_exception(exc_type, exc, tb))


def log_exception(exc_type, exc, tb, where: str, detail: str = "") -> Path:
    """Write an unexpected error to the log (``detail``: its traceback already formatted, as a
    background thread hands it over); returns the log file's path. Never raises."""
    try:
        path = setup_logging()
        logger.error("%s：意外错误\n%s", where, detail or details(exc_type, exc, tb))
        for handler in logger.handlers:
            handler.flush()
        return path
    except Exception:  # noqa: BLE001 — a log that cannot be written must not hide the original error
        return log_path()


def log_message(level: int, message: str) -> None:
    try:
        setup_logging()
        logger.log(level, message)
    except Exception:  # noqa: BLE001 — see log_exception
        pass
