"""Errors the services raise for the clerk to read."""


class UserError(Exception):
    """Something the user can fix; the message is Chinese and says what to do next."""


class Cancelled(Exception):
    """The user pressed 取消; nothing was changed."""


def check_output_path(path) -> None:
    """Refuse, before any work, a file that cannot be written: its folder must already exist
    (a mistyped folder is never created silently, least of all at the top of the disk)."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        raise UserError(f"“{path}”是一个文件夹：请给出要保存的文件名（如 {path / '导出.xlsx'}）。")
    if not path.parent.is_dir():
        raise UserError(f"无法保存到“{path}”：文件夹“{path.parent}”不存在。请先建好文件夹，或另选保存位置。")


def writing_error(path, exc: OSError) -> UserError:
    """The clerk's words for an OSError met while writing ``path``."""
    if isinstance(exc, PermissionError):
        return UserError(f"无法写入“{path}”：没有写入权限，或文件正在 Excel、WPS 中打开。请关闭该文件或另选保存位置后重试。")
    return UserError(f"无法写入“{path}”：{exc.strerror or exc}。请另选保存位置后重试。")
