"""A .docx template compiled once and filled as text: one document's file, or many in one file.

docxtpl renders a whole document per call: python-docx opens the package, the body is rendered
by Jinja, then parsed back into a tree, its tables and drawing ids fixed and the package written
again — about 18 ms a notice, and a batch of N documents rendered as one body spends most of its
time in those passes over the whole text.  Here docxtpl only prepares the template (its tag
patching: ``{%tr %}``, ``{%p %}``, smart quotes inside tags); each document's body is rendered
once by the compiled Jinja template and kept as text.  That text goes into the document's own
file (the template's parts + one QR image) and into the combined file for printing (one section
per document, page numbers restarting at 1, so "— 1 —" footers and odd/even pages work per
document).  Nothing is parsed back: QR images are drawn as ready-made ``<w:drawing>`` runs, and
drawing ids are renumbered by a single text pass.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Mm
from docxtpl import DocxTemplate
from lxml import etree

from .fields import DocumentKind, Field, normalise
from .qr import qr_png
from .validate import make_env

_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_DOCUMENT = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"
_HEADER_FOOTER = re.compile(r"word/(header|footer)\d*\.xml$")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_MARK = re.compile(r"[\a\t\n\f]")
_DRAWING_ID = re.compile(r'(<wp:docPr id=")\d+(")')
_NAMESPACE_DECLARATION = re.compile(r' xmlns:\w+="[^"]*"')
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class RenderedDoc:
    """One document's body (without its section properties) and its QR image (relationship rIdSsjQr{n})."""

    body: str
    png: bytes
    n: int


def section_break(sect_pr_xml: str) -> str:
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


def _without_declared(fragment: str, head: str) -> str:
    """Drop the namespace declarations lxml wrote on a fragment that the document element already has."""
    return _NAMESPACE_DECLARATION.sub(lambda m: "" if m.group(0) in head else m.group(0), fragment)


_SENTINEL = 987654321
_QR_RUNS: dict[int, str] = {}


def _qr_run(n: int, size_mm: float) -> str:
    """The drawing run of QR image n; built once per size by python-docx, then only renumbered."""
    size = Mm(size_mm)
    if size not in _QR_RUNS:
        inline = CT_Inline.new_pic_inline(_SENTINEL, f"rIdSsjQr{_SENTINEL}", f"qr{_SENTINEL}.png", size, size)
        drawing = etree.tostring(inline, encoding="unicode")
        _QR_RUNS[size] = f'</w:t></w:r><w:r><w:drawing>{drawing}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
    return _QR_RUNS[size].replace(str(_SENTINEL), str(n))


class _QRImage:
    """Where the template prints a QR field, Jinja's autoescape calls __html__: the drawing run."""

    def __init__(self, n: int, size_mm: float):
        self.n, self.size_mm = n, size_mm

    def __html__(self) -> str:
        return _qr_run(self.n, self.size_mm)

    __str__ = __html__


class CompiledDocx:
    """A template of one kind, compiled once; render(data, n) then write single files or a batch."""

    def __init__(self, kind: DocumentKind, source: bytes):
        self.kind = kind
        with zipfile.ZipFile(io.BytesIO(source)) as archive:
            self._parts = {name: archive.read(name) for name in archive.namelist()}
        self._tpl = tpl = DocxTemplate(io.BytesIO(source))
        tpl.init_docx()
        body = tpl.docx._element.body
        sect_pr = body.find(qn("w:sectPr"))
        self._sect = ""
        if sect_pr is not None:
            _restart_page_numbers(sect_pr)
            self._sect = etree.tostring(sect_pr, encoding="unicode")
            body.remove(sect_pr)
        xml = tpl.patch_xml(tpl.get_xml())
        open_end, close = xml.index(">") + 1, xml.rindex("</w:body>")
        self._body_open = xml[:open_end]
        self._env = make_env(autoescape=True)
        # docxtpl puts a newline before each paragraph so that Jinja's line numbers point at paragraphs
        self._template = self._env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml[open_end:close]))
        raw = self._parts[_DOCUMENT].decode("utf-8")
        self._doc_head = raw[:raw.index("<w:body")]
        self._doc_tail = raw[raw.rindex("</w:body>") + len("</w:body>"):]
        self._body_open = _without_declared(self._body_open, self._doc_head)
        self._sect = _without_declared(self._sect, self._doc_head)
        self._other_parts = {
            name: self._env.from_string(tpl.patch_xml(data.decode("utf-8")))
            for name, data in self._parts.items()
            if _HEADER_FOOTER.match(name) and (b"{{" in data or b"{%" in data)}
        self._fixed: bytes | None = None

    def context(self, data: Mapping[str, Any], n: int) -> tuple[dict[str, Any], bytes]:
        """The template's values for one document, and the PNG of its QR code (b"" when it has none)."""
        pngs: list[bytes] = []

        def make_qr(payload: str, field: Field) -> _QRImage:
            pngs.append(qr_png(payload))
            return _QRImage(n, field.size_mm)

        return normalise(self.kind.fields, data, make_qr), (pngs[0] if pngs else b"")

    def render(self, data: Mapping[str, Any], n: int) -> RenderedDoc:
        """Document number n of a batch (n names its QR image, unique in the batch)."""
        context, png = self.context(data, n)
        return RenderedDoc(self._finish(self._template.render(context)), png, n)

    def single(self, doc: RenderedDoc, data: Mapping[str, Any]) -> bytes:
        """The document's own .docx."""
        return self._package(doc.body, [doc], data)

    def combined(self, docs: Sequence[RenderedDoc], first: Mapping[str, Any]) -> bytes:
        """All documents in one .docx, each its own section starting at page 1.

        Headers and footers are shared by the sections, so their fields are filled from ``first``
        (as docxtpl does).
        """
        return self._package(section_break(self._sect).join(d.body for d in docs), docs, first)

    def combine_files(self, files: Sequence[bytes]) -> bytes:
        """One printable .docx from documents kept as files (reprinting exactly what was issued)."""
        bodies, pieces = [], []
        for n, data in enumerate(files, 1):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                document = archive.read(_DOCUMENT).decode("utf-8")
                names = [name for name in archive.namelist() if name.startswith("word/media/ssj_qr")]
                png = archive.read(names[0]) if names else b""
            inner = document[document.index(">", document.index("<w:body")) + 1:document.rindex("<w:sectPr")]
            inner = re.sub(r"rIdSsjQr\d+", f"rIdSsjQr{n}", inner)
            bodies.append(inner)
            pieces.append(RenderedDoc(inner, png, n))
        return self._package(section_break(self._sect).join(bodies), pieces, {})

    def _finish(self, xml: str) -> str:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self._resolve_listing(xml)

    def _resolve_listing(self, xml: str) -> str:
        """docxtpl's paragraph, tab, line and page marks (\\a \\t \\n \\f), only in the paragraphs that have one."""
        if not _LISTING_MARK.search(xml):
            return xml

        def paragraph(m: re.Match) -> str:
            text = m.group(0)
            return self._tpl.resolve_listing(text) if _LISTING_MARK.search(text) else text

        return _PARAGRAPH.sub(paragraph, xml)

    def _render_other_parts(self, data: Mapping[str, Any]) -> dict[str, bytes]:
        """Headers and footers with fields, filled from ``data``."""
        if not self._other_parts:
            return {}
        context = normalise(self.kind.fields, data)
        return {name: self._finish(template.render(context)).encode("utf-8")
                for name, template in self._other_parts.items()}

    def _fixed_parts(self) -> bytes:
        """The zip of the template's parts that no document changes (with PNG declared), made once.

        Each document's file is this plus its own parts appended: a dozen fewer zip entries to
        write per notice.  The parts are small, so they are stored rather than deflated.
        """
        if self._fixed is None:
            varying = {_DOCUMENT, _RELS, *self._other_parts}
            types = self._parts[_TYPES].decode("utf-8")
            if 'Extension="png"' not in types:
                types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as out:
                out.writestr(zipfile.ZipInfo(_TYPES, date_time=_ZIP_TIME), types.encode("utf-8"), zipfile.ZIP_STORED)
                for name, content in self._parts.items():
                    if name not in varying and name != _TYPES:
                        out.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), content, zipfile.ZIP_STORED)
            self._fixed = buffer.getvalue()
        return self._fixed

    def _package(self, bodies: str, docs: Sequence[RenderedDoc], data: Mapping[str, Any]) -> bytes:
        ids = iter(range(1, 1 << 31))
        bodies = _DRAWING_ID.sub(lambda m: f"{m.group(1)}{next(ids)}{m.group(2)}", bodies)
        document = f"{self._doc_head}{self._body_open}{bodies}{self._sect}</w:body>{self._doc_tail}"
        rels = self._parts[_RELS].decode("utf-8")
        extra = "".join(f'<Relationship Id="rIdSsjQr{d.n}" Type="{_IMAGE_REL}" Target="media/ssj_qr{d.n}.png"/>'
                        for d in docs if d.png)
        rels = rels.replace("</Relationships>", extra + "</Relationships>")
        changed = {_DOCUMENT: document.encode("utf-8"), _RELS: rels.encode("utf-8"),
                   **self._render_other_parts(data)}
        buffer = io.BytesIO(self._fixed_parts())
        buffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for name, content in changed.items():
                out.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), content, zipfile.ZIP_DEFLATED)
            for d in docs:
                if d.png:
                    out.writestr(zipfile.ZipInfo(f"word/media/ssj_qr{d.n}.png", date_time=_ZIP_TIME),
                                 d.png, zipfile.ZIP_STORED)
        return buffer.getvalue()
