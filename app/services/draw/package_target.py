"""Where a verification package is to be written, checked before a draw starts (not after it is final)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.services.errors import UserError


def check_package_target(folder: str | os.PathLike) -> Path:
    """Refuses, in Chinese, a package folder that could not be written: it exists and is not an empty
    folder, or its parent folder is missing or not writable (probed by creating a file there)."""
    folder = Path(folder).absolute()
    if folder.exists() and not (folder.is_dir() and not any(folder.iterdir())):
        raise UserError(f"验证包文件夹 {folder} 已存在且不是空文件夹，请指定一个新的文件夹。")
    parent = folder.parent
    if not parent.is_dir():
        raise UserError(f"验证包的上级文件夹 {parent} 不存在，请先建立它或换一个位置。")
    try:
        fd, probe = tempfile.mkstemp(prefix=".ssj-probe-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UserError(f"无法在 {parent} 写入验证包：{exc.strerror or exc}。请检查 U 盘或文件夹是否可写。") from exc
    return folder
