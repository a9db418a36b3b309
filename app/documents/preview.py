"""Print preview: .docx/.xlsx → PDF with LibreOffice, when it is installed.

Returns None when LibreOffice is absent or the conversion fails, so the GUI
falls back to opening the file in WPS or Word.

Fonts: on Linux (统信UOS, 银河麒麟, test machines) 仿宋_GB2312, 方正小标宋简体 and
friends are often missing, and fontconfig would pick an arbitrary CJK face.
fontconfig/gbt9704-fonts.conf (next to this module) maps each official
face to an installed one (Noto Serif/Sans CJK SC, AR PL, WenQuanYi, FandolSong
…); preview_env() puts it in front of the system configuration through
FONTCONFIG_FILE for the LibreOffice child process only.  An office with the
real fonts installed is unaffected: aliases only apply to missing names.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

FONT_ALIASES = Path(__file__).with_name("fontconfig") / "gbt9704-fonts.conf"

_WINDOWS_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = list(_WINDOWS_CANDIDATES) if sys.platform == "win32" else \
        [str(p) for p in sorted(Path("/opt").glob("libreoffice*/program/soffice"))]
    return next((c for c in candidates if Path(c).is_file()), None)


def preview_env(workdir: Path) -> dict[str, str]:
    """Environment for LibreOffice: a private profile dir and, on Linux, the font aliases."""
    env = dict(os.environ)
    if sys.platform.startswith("linux") and FONT_ALIASES.is_file():
        system = os.environ.get("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
        conf = workdir / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  <include ignore_missing=\"yes\">{FONT_ALIASES}</include>\n"
            f"  <include ignore_missing=\"yes\">{system}</include>\n</fontconfig>\n",
            encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def to_pdf(path: str | os.PathLike, out_dir: str | os.PathLike | None = None,
           timeout: float = 300) -> Path | None:
    """Convert with ``soffice --headless --convert-to pdf``; None if not possible.

    A private LibreOffice profile is used so a LibreOffice window the clerk
    already has open does not swallow the request.
    """
    soffice = find_soffice()
    if soffice is None:
        return None
    src = Path(path).resolve()
    out = Path(out_dir) if out_dir else src.parent
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ssj-preview-") as tmp:
        work = Path(tmp)
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", str(out), str(src)]
        try:
            subprocess.run(cmd, env=preview_env(work), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("LibreOffice 转换 PDF 失败：%s", exc)
            return None
    pdf = out / (src.stem + ".pdf")
    return pdf if pdf.is_file() else None
