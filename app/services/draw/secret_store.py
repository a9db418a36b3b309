"""Where a draw's program secret K waits for the reveal: only on the PC running the ceremony.

Before the reveal the database holds the commitment C, never K: anyone who can read the
database (every PC of a shared PostgreSQL server) could otherwise compute the seed the moment
the witnesses' digits are locked, and know the result before 揭示. K is written to a file in
this PC's data folder (folder 0700, file 0600, written before the draw's first step commits),
read back by the reveal on this PC (also after a crash), stored in the database with the seed,
and the file removed. docs/draw-protocol.md §5.1 says what each party can learn when.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.config import data_dir
from app.services.errors import UserError

FOLDER = "draw-secrets"


def _path(draw_id: int, commitment: str) -> Path:
    # The commitment in the name keeps two databases' draws with the same id apart.
    return data_dir() / FOLDER / f"draw-{draw_id}-{commitment[:16]}.key"


def keep(draw_id: int, commitment: str, secret: str) -> Path:
    """Writes K (hex) durably, readable by this PC's user only; refuses to overwrite."""
    path = _path(draw_id, commitment)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secret.encode("ascii") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        if hasattr(os, "O_DIRECTORY"):
            folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except OSError as exc:
        raise UserError(f"无法在本机数据文件夹保存抽取的程序密钥（{path.parent}）：{exc.strerror or exc}。"
                        "请检查磁盘空间和文件夹权限后重试。") from exc
    return path


def fetch(draw_id: int, commitment: str) -> str | None:
    """K (hex) when this PC holds it, else None."""
    try:
        return _path(draw_id, commitment).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def discard(draw_id: int, commitment: str) -> None:
    """Removes the file once K is in the database (revealed) or the attempt is abandoned."""
    _path(draw_id, commitment).unlink(missing_ok=True)
