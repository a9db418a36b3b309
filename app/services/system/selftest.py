"""`self-test`: proves a build can open its database, migrate, write and read back.

Run by CI on the frozen bundle, so a missing hidden import or data file fails there.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from sqlalchemy import delete

from app.db import migrate
from app.db.models import Setting
from app.db.session import Database
from app.services.errors import UserError

PROBE_KEY = "self_test_probe"


@dataclass(frozen=True)
class SelfTestResult:
    backend: str
    revision: str
    seconds: float


def run_self_test(db: Database) -> SelfTestResult:
    started = time.perf_counter()
    revision = migrate.current_revision(db.engine) or ""
    if revision != migrate.head_revision():
        raise UserError(f"数据库结构版本 {revision or '（空）'} 不是最新的 {migrate.head_revision()}。")
    token = secrets.token_hex(8)
    with db.session() as session:
        session.merge(Setting(key=PROBE_KEY, value={"token": token}))
    with db.session() as session:
        row = session.get(Setting, PROBE_KEY)
        if row is None or row.value != {"token": token}:
            raise UserError("自检失败：写入数据库的内容无法读回。")
        session.execute(delete(Setting).where(Setting.key == PROBE_KEY))
    _check_bundled_modules()
    _check_bundled_files()
    return SelfTestResult(db.backend, revision, time.perf_counter() - started)


def _check_bundled_modules() -> None:
    """Import what a frozen build might forget: document, spreadsheet and Qt modules."""
    import importlib

    for name in ("docxtpl", "docx", "openpyxl", "python_calamine", "qrcode", "chinese_calendar",
                 "psycopg", "PySide6.QtWidgets", "PySide6.QtGui"):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise UserError(f"自检失败：缺少组件 {name}（{exc}）。请重新安装本程序。") from exc


def _check_bundled_files() -> None:
    """Data files the program reads at run time: the verifier source and the shipped forms."""
    from app.documents import DOCUMENT_KINDS, bundled_forms_dir, load_form
    from app.domain.draw import DrawError
    from app.domain.draw.package import verifier_source

    try:
        verifier_source()
    except DrawError as exc:
        raise UserError(f"自检失败：{exc}") from exc
    for kind in DOCUMENT_KINDS.values():
        path = bundled_forms_dir() / kind.filename
        if not path.is_file():
            raise UserError(f"自检失败：缺少文书模板《{kind.title}》（{path}）。请重新安装本程序。")
        load_form(kind.key, path)
