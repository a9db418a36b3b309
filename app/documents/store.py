"""Where templates come from: bundled originals, and the office's own copies.

The originals in forms/ live inside the installed program (read-only, replaced
on upgrade).  A clerk who wants different wording or a letterhead gets a copy
in the user data folder (open_user_copy), edits it in WPS or Word, and from
then on path_for() returns that copy; restore_default() sets it aside and the
original applies again.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from .docx_render import DocxForm
from .fields import DocumentKind
from .kinds import get_kind
from .xlsx_render import XlsxForm

Form = DocxForm | XlsxForm


def bundled_forms_dir() -> Path:
    """forms/ beside the package, or inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "forms"
    return Path(__file__).resolve().parents[2] / "forms"


def load_form(kind: str | DocumentKind, path: str | os.PathLike) -> Form:
    """Open and check a template file of the given kind (raises TemplateProblem)."""
    kind = get_kind(kind)
    return XlsxForm(kind, path) if kind.is_xlsx else DocxForm(kind, path)


class TemplateStore:
    def __init__(self, user_dir: str | os.PathLike, bundled_dir: str | os.PathLike | None = None):
        self.user_dir = Path(user_dir)
        self.bundled_dir = Path(bundled_dir) if bundled_dir else bundled_forms_dir()
        self._loaded: dict[tuple[str, int, int], Form] = {}

    def bundled_path(self, kind: str | DocumentKind) -> Path:
        return self.bundled_dir / get_kind(kind).filename

    def user_path(self, kind: str | DocumentKind) -> Path:
        return self.user_dir / get_kind(kind).filename

    def is_customised(self, kind: str | DocumentKind) -> bool:
        return self.user_path(kind).is_file()

    def path_for(self, kind: str | DocumentKind) -> Path:
        """The template in force: the office's copy if there is one, else the original."""
        user = self.user_path(kind)
        return user if user.is_file() else self.bundled_path(kind)

    def open_user_copy(self, kind: str | DocumentKind) -> Path:
        """The office's editable copy, made from the original on first use."""
        user = self.user_path(kind)
        if not user.is_file():
            self.user_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.bundled_path(kind), user)
            user.chmod(0o644)  # the installed original may be read-only
        return user

    def restore_default(self, kind: str | DocumentKind) -> Path | None:
        """Put the original back; the office's copy is kept as a dated .bak file.

        Returns the backup's path, or None if there was no copy to set aside.
        """
        user = self.user_path(kind)
        if not user.is_file():
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = user.with_name(f"{user.name}.{stamp}.bak")
        os.replace(user, backup)
        return backup

    def load(self, kind: str | DocumentKind) -> Form:
        """The checked template in force (re-checked only when the file changes)."""
        kind = get_kind(kind)
        path = self.path_for(kind)
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in self._loaded:
            self._loaded[key] = load_form(kind, path)
        return self._loaded[key]
