"""Filling .docx templates: one document, a batch in one file, or one file each.

The template is checked when loaded (docxtpl's tag patching, then Jinja's parser, so a broken
tag is named before anything is produced) and compiled once on first use
(:class:`~app.documents.docx_compiled.CompiledDocx`); a batch is each document rendered as text
and packed into one file, each document its own section starting at page 1.
"""
from __future__ import annotations

import io
import os
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from docxtpl import DocxTemplate
from lxml import etree

from .docx_compiled import CompiledDocx
from .fields import DocumentKind
from .kinds import get_kind
from .validate import Problem, TemplateProblem, check_delimiters, check_source, filling_errors

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class RenderCancelled(Exception):
    """Raised when the caller's cancel check returned True; no file is left behind."""


def _docx_sources(source: bytes) -> list[tuple[str, str, str]]:
    """(where, raw xml, patched xml) for the body, headers and footers of a template."""
    tpl = DocxTemplate(io.BytesIO(source))
    tpl.init_docx()
    parts = [("正文", tpl.get_xml())]
    for uri, label in ((tpl.HEADER_URI, "页眉"), (tpl.FOOTER_URI, "页脚")):
        for _, part in tpl.get_headers_footers(uri):
            parts.append((label, tpl.get_part_xml(part)))
    # docxtpl renders with a newline before each paragraph; do the same so
    # Jinja's line numbers point at paragraphs.
    return [(where, xml,
             tpl.patch_xml(xml).replace("<w:p>", "\n<w:p>").replace("<w:p ", "\n<w:p "))
            for where, xml in parts]


class DocxForm:
    """A .docx template of one kind, checked when loaded."""

    def __init__(self, kind: str | DocumentKind, path: str | os.PathLike):
        self.kind = get_kind(kind)
        self.path = Path(path)
        self._source = self.path.read_bytes()
        self._compiled: CompiledDocx | None = None
        self.check()

    @property
    def compiled(self) -> CompiledDocx:
        """The template compiled for filling (on first use; a checked template always compiles)."""
        if self._compiled is None:
            self._compiled = CompiledDocx(self.kind, self._source)
        return self._compiled

    def check(self) -> None:
        """Raise TemplateProblem if the template is broken or uses unknown fields."""
        name = self.path.name
        try:
            sources = _docx_sources(self._source)
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise TemplateProblem(name, [Problem(
                "文件", "", f"无法作为 Word 文档（.docx）打开：{exc}。请用 WPS 或 Word "
                "“另存为 .docx”后再放回，或恢复默认模板。")]) from None
        problems: list[Problem] = []
        for where, raw, patched in sources:
            problems += check_delimiters(where, raw) or check_source(self.kind, where, patched)
        if problems:
            raise TemplateProblem(name, problems)

    def render(self, data: Mapping[str, Any], out: str | os.PathLike) -> Path:
        """One document."""
        return self.render_batch([data], out)

    def render_batch(self, items: Sequence[Mapping[str, Any]], out: str | os.PathLike,
                     progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> Path:
        """Many documents into one file, each its own section starting at page 1.

        ``progress(done, total)`` is called after each document is filled;
        ``cancelled()`` is checked before each one — when it returns True,
        RenderCancelled is raised and no file is written.  Run it off the GUI
        thread: the Qt side only forwards the callbacks.
        """
        if not items:
            raise ValueError("没有要生成的文书（数据为空）。")
        docs = []
        with filling_errors(self.path.name):
            for n, data in enumerate(items, 1):
                if cancelled is not None and cancelled():
                    raise RenderCancelled()
                docs.append(self.compiled.render(data, n))
                if progress is not None:
                    progress(n, len(items))
            combined = self.compiled.combined(docs, items[0])
        with partial_file(out) as tmp:
            tmp.write_bytes(combined)
        return Path(out)

    def fill(self, data: Mapping[str, Any]) -> bytes:
        """One document's own .docx, as bytes (to store in the database or write to a file)."""
        with filling_errors(self.path.name):
            return self.compiled.single(self.compiled.render(data, 1), data)

    def combine_files(self, files: Sequence[bytes]) -> bytes:
        """One printable .docx from documents of this template kept as files, exactly as they were."""
        return self.compiled.combine_files(files)

    def render_each(self, items: Sequence[Mapping[str, Any]], out_dir: str | os.PathLike,
                    names: Sequence[str] | None = None, progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> list[Path]:
        """One file per document; ``names`` are file names (without .docx).

        On cancel, files already written are kept (they are complete) and
        RenderCancelled is raised.
        """
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        used: set[str] = set()
        for i, data in enumerate(items):
            if cancelled is not None and cancelled():
                raise RenderCancelled()
            stem = safe_filename(names[i] if names else f"{i + 1:04d}_{self.kind.title}")
            while stem in used:
                stem += "_"
            used.add(stem)
            with partial_file(out_dir / f"{stem}.docx") as tmp:
                tmp.write_bytes(self.fill(data))
            paths.append(out_dir / f"{stem}.docx")
            if progress is not None:
                progress(i + 1, len(items))
        return paths


@contextmanager
def partial_file(out: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``out`` that becomes ``out`` when the block ends without error:
    a failed or cancelled write never leaves half a document behind."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()


def safe_filename(name: str) -> str:
    """Drop characters Windows forbids in file names."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in str(name))
    return cleaned.strip(" .")[:120] or "文书"
