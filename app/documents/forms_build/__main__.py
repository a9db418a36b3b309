"""Regenerate the shipped templates in forms/:  python -m app.documents.forms_build [DIR]

The generated files are committed; run this after changing the builders and
commit the result.  Every file is checked by the engine before it is kept.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..kinds import KINDS
from ..store import load_form
from .docx_forms import DOCX_FORMS
from .xlsx_forms import XLSX_FORMS

REPO_FORMS = Path(__file__).resolve().parents[3] / "forms"


def build(target: Path = REPO_FORMS) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, builder in {**DOCX_FORMS, **XLSX_FORMS}.items():
        path = target / filename
        builder().save(path)
        kind = next(k for k in KINDS.values() if k.filename == filename)
        load_form(kind, path)  # raises TemplateProblem if the builder is wrong
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else REPO_FORMS
    for path in build(target):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
