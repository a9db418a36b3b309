"""Filling .docx templates with docxtpl: one document, a batch in one file, or one file each.

A batch is rendered as *one* Jinja loop over the template body rather than
by rendering N documents and splicing them together: the template is
compiled once, images (QR codes) are related to the one output part as they
are drawn, and nothing has to renumber relationships afterwards.  Each
document becomes its own section (a copy of the template's section
properties, page numbers restarting at 1), so odd/even footers and "— 1 —"
work per notice exactly as in a single document.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, TemplateError
from lxml import etree

from .fields import DocumentKind, Field, normalise
from .kinds import get_kind
from .qr import qr_png
from .validate import Problem, TemplateProblem, check_delimiters, check_source, make_env

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

_DOCS = "__docs"
_DOC = "__doc"


class RenderCancelled(Exception):
    """Raised when the caller's cancel check returned True; no file is left behind."""


class _CachingEnv(Environment):
    """docxtpl compiles every part with ``from_string``; compile each source once."""

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        cache = self.__dict__.setdefault("_compiled", {})
        if source not in cache:
            cache[source] = super().from_string(source, globals, template_class)
        return cache[source]


class _LazyQR(InlineImage):
    """A QR code drawn only if, and when, the template prints it."""

    def __init__(self, tpl: "_BatchTemplate", payload: str, field: Field):
        super().__init__(tpl, None, width=Mm(field.size_mm), height=Mm(field.size_mm))
        self.payload = payload

    def _insert_image(self):
        return self.tpl.qr_run_xml(self.payload, self.width, self.height)


def _section_break(sect_pr_xml: str) -> str:
    """A one-point paragraph that ends a section (so it cannot push a page over)."""
    return ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            '<w:ind w:firstLine="0" w:firstLineChars="0"/><w:rPr><w:sz w:val="2"/>'
            f"<w:szCs w:val=\"2\"/></w:rPr>{sect_pr_xml}</w:pPr></w:p>")


def _restart_page_numbers(sect_pr) -> None:
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = etree.SubElement(sect_pr, qn("w:pgNumType"))
        later = [qn(f"w:{t}") for t in ("cols", "formProt", "vAlign", "noEndnote", "titlePg",
                                         "textDirection", "bidi", "rtlGutter", "docGrid")]
        for child in sect_pr:
            if child.tag in later:
                child.addprevious(pg)
                break
    pg.set(qn("w:start"), "1")


class _BatchTemplate(DocxTemplate):
    """DocxTemplate whose body is wrapped in a loop over ``__docs``.

    Two docxtpl/python-docx paths are quadratic in the number of documents and
    are replaced here: adding a picture (python-docx renumbers every image
    part and relationship to find the next free name) and footnote rendering
    (docxtpl walks every package part once per section).
    """

    def __init__(self, source: bytes, field_names: Sequence[str]):
        super().__init__(io.BytesIO(source))
        self._field_names = field_names
        self._images = 0

    def qr_run_xml(self, payload: str, cx: int, cy: int) -> str:
        self._images += 1
        n = self._images
        png = qr_png(payload)
        part = self.current_rendering_part
        image = ImagePart(PackURI(f"/word/media/ssj_qr{n}.png"), "image/png", png,
                          Image.from_blob(png))
        rid = f"rIdSsjQr{n}"
        part.rels.add_relationship(RT.IMAGE, image, rid)
        inline = CT_Inline.new_pic_inline(n, rid, f"qr{n}.png", cx, cy)
        return ('</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r><w:t xml:space="preserve">'
                % etree.tostring(inline, encoding="unicode"))

    def render_footnotes(self, context, jinja_env=None):
        for rel in list(self.docx.part.rels.values()):
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                part = rel.target_part
                xml = self.patch_xml(part.blob.decode("utf-8"))
                part._blob = self.render_xml_part(xml, part, context, jinja_env).encode("utf-8")

    def build_xml(self, context, jinja_env=None):
        body = self.docx._element.body
        sect_pr = body.find(qn("w:sectPr"))
        sect_xml = ""
        if sect_pr is not None:
            _restart_page_numbers(sect_pr)
            sect_xml = etree.tostring(sect_pr, encoding="unicode")
            body.remove(sect_pr)
        xml = self.patch_xml(self.get_xml())
        open_end = xml.index(">") + 1
        close = xml.rindex("</w:body>")
        bindings = ", ".join(f'{n}={_DOC}["{n}"]' for n in self._field_names)
        wrapped = (
            xml[:open_end]
            + f"{{% for {_DOC} in {_DOCS} %}}{{% if not loop.first %}}{_section_break(sect_xml)}"
            + f"{{% endif %}}{{% with {bindings} %}}"
            + xml[open_end:close]
            + f"{{% endwith %}}{{% endfor %}}{sect_xml}"
            + xml[close:]
        )
        return self.render_xml_part(wrapped, self.docx._part, context, jinja_env)


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
        self._env = make_env(autoescape=True, cls=_CachingEnv)
        self.check()

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

        ``progress(done, total)`` is called after each document is laid out;
        ``cancelled()`` is checked before each one — when it returns True,
        RenderCancelled is raised and no file is written.  Run it off the GUI
        thread: the Qt side only forwards the callbacks.
        """
        if not items:
            raise ValueError("没有要生成的文书（数据为空）。")
        tpl = _BatchTemplate(self._source, self.kind.field_names)
        fields, total = self.kind.fields, len(items)

        def make_qr(payload: str, field: Field) -> _LazyQR:
            return _LazyQR(tpl, payload, field)

        def docs():
            for i, data in enumerate(items):
                if cancelled is not None and cancelled():
                    raise RenderCancelled()
                yield normalise(fields, data, make_qr)
                if progress is not None:
                    progress(i + 1, total)

        context = dict(normalise(fields, items[0], make_qr))
        context[_DOCS] = docs()
        out = Path(out)
        tmp = out.with_name(out.name + ".part")
        try:
            tpl.render(context, jinja_env=self._env)
            if cancelled is not None and cancelled():
                raise RenderCancelled()
            tpl.save(tmp)
            os.replace(tmp, out)
        except TemplateError as exc:
            raise TemplateProblem(self.path.name, [Problem(
                "填写时", "", f"出错：{exc}。请检查模板中的标记。")]) from exc
        finally:
            if tmp.exists():
                tmp.unlink()
        return out

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
            paths.append(self.render_batch([data], out_dir / f"{stem}.docx"))
            if progress is not None:
                progress(i + 1, len(items))
        return paths


def safe_filename(name: str) -> str:
    """Drop characters Windows forbids in file names."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in str(name))
    return cleaned.strip(" .")[:120] or "文书"
