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
    server_component: str | None = None  # its version and place, when installed


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
    server = _check_server_component()
    return SelfTestResult(db.backend, revision, time.perf_counter() - started, server)


def _check_server_component() -> str | None:
    """When the 局域网服务器组件 is installed, each of its programs must run and be of one version."""
    import subprocess

    from app.services.server.programs import REQUIRED, child_environment, component_dirs, find_programs

    if not any(path.is_dir() for path in component_dirs()):
        return None
    programs = find_programs("component")
    versions = set()
    for name in REQUIRED:
        result = subprocess.run([str(programs.path(name)), "--version"], capture_output=True, text=True,
                                env=child_environment())
        if result.returncode != 0:
            raise UserError(f"自检失败：局域网服务器组件中的 {name} 无法运行（{result.stderr.strip()}）。"
                            "请重新安装该组件。")
        versions.add(result.stdout.split()[-1])
    if len(versions) != 1:
        raise UserError(f"自检失败：局域网服务器组件的程序版本不一致（{'、'.join(sorted(versions))}）。"
                        "请重新安装该组件。")
    return f"{programs.version()}（{programs.bindir}）"


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
