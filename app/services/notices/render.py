"""Fast .docx rendering of many documents (notices, filled 检查表): each one's own file and the combined batch.

docxtpl costs ~18 ms a notice (python-docx parses and re-serialises the whole package for each
document). A notice's template is compiled once here: each notice's body is rendered by Jinja
with docxtpl's own tag patching and paragraph handling, and the same rendered body goes both
into the notice's own file (zip of the template's parts + one QR image) and into the combined
batch file (one section per notice, page numbers restarting, as DocxForm.render_batch does).
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

from app.documents import DocxForm
from app.documents.docx_render import _restart_page_numbers, _section_break
from app.documents.fields import QR, normalise
from app.documents.qr import qr_png
from app.documents.validate import make_env

_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_DOCUMENT = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class RenderedNotice:
    body: str  # the rendered body content (no sectPr), QR relationship rIdSsjQr{n}
    png: bytes
    n: int


_SENTINEL = 987654321
_RUNS: dict[int, str] = {}


def _qr_run(n: int, size_mm: float) -> str:
    """The drawing run of QR image n; built once per size by python-docx, then only renumbered."""
    size = Mm(size_mm)
    if size not in _RUNS:
        inline = CT_Inline.new_pic_inline(_SENTINEL, f"rIdSsjQr{_SENTINEL}", f"qr{_SENTINEL}.png", size, size)
        drawing = etree.tostring(inline, encoding="unicode")
        _RUNS[size] = f'</w:t></w:r><w:r><w:drawing>{drawing}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
    return _RUNS[size].replace(str(_SENTINEL), str(n))


class _QRImage:
    """The QR run; Jinja calls __html__ (autoescape) where the template prints the field."""

    def __init__(self, n: int, size_mm: float):
        self.n, self.size_mm = n, size_mm

    def __html__(self) -> str:
        return _qr_run(self.n, self.size_mm)

    __str__ = __html__


class FastDocx:
    """One compiled notice template; render(fields, n) then write single files and the batch."""

    def __init__(self, form: DocxForm):
        self.kind = form.kind
        source = form.path.read_bytes()
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
        env = make_env(autoescape=True)
        self._template = env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml[open_end:close]))
        raw = self._parts[_DOCUMENT].decode("utf-8")
        self._doc_head = raw[:raw.index("<w:body")]
        self._doc_tail = raw[raw.rindex("</w:body>") + len("</w:body>"):]
        self._qr_fields = {f.name: f for f in self.kind.fields if f.type == QR}
        self._env = env

    def _render_other_parts(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        """Headers and footers with Jinja tags, rendered once with the first notice (as docxtpl does)."""
        out = {}
        for name, data in self._parts.items():
            if re.match(r"word/(header|footer)\d*\.xml$", name) and (b"{{" in data or b"{%" in data):
                xml = self._tpl.patch_xml(data.decode("utf-8"))
                out[name] = self._finish(self._env.from_string(xml).render(context)).encode("utf-8")
        return out

    def _finish(self, xml: str) -> str:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        # docxtpl's paragraph/tab/line-break markers; the regex pass is skipped when there are none
        return self._tpl.resolve_listing(xml) if any(c in xml for c in "\a\t\n\f") else xml

    def context(self, data: Mapping[str, Any], n: int) -> tuple[dict[str, Any], bytes]:
        pngs: list[bytes] = []

        def make_qr(payload: str, field) -> _QRImage:
            pngs.append(qr_png(payload))
            return _QRImage(n, field.size_mm)

        return normalise(self.kind.fields, data, make_qr), (pngs[0] if pngs else b"")

    def render(self, data: Mapping[str, Any], n: int) -> RenderedNotice:
        """Notice number n of a batch (n names its QR image, unique in the batch)."""
        context, png = self.context(data, n)
        return RenderedNotice(self._finish(self._template.render(context)), png, n)

    def _package(self, bodies: str, notices: Sequence[RenderedNotice], context: Mapping[str, Any]) -> bytes:
        document = f"{self._doc_head}{self._body_open}{bodies}{self._sect}</w:body>{self._doc_tail}"
        rels = self._parts[_RELS].decode("utf-8")
        extra = "".join(f'<Relationship Id="rIdSsjQr{r.n}" Type="{_IMAGE_REL}" Target="media/ssj_qr{r.n}.png"/>'
                        for r in notices if r.png)
        rels = rels.replace("</Relationships>", extra + "</Relationships>")
        types = self._parts[_TYPES].decode("utf-8")
        if 'Extension="png"' not in types:
            types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1)
        replaced = {_DOCUMENT: document.encode("utf-8"), _RELS: rels.encode("utf-8"), _TYPES: types.encode("utf-8"),
                    **self._render_other_parts(context)}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for name, data in self._parts.items():
                # the template's unchanged parts are small: storing them saves a deflate per part
                out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), replaced.get(name, data),
                             zipfile.ZIP_DEFLATED if name in replaced else zipfile.ZIP_STORED)
            for r in notices:
                if r.png:
                    out.writestr(zipfile.ZipInfo(f"word/media/ssj_qr{r.n}.png", date_time=(1980, 1, 1, 0, 0, 0)),
                                 r.png, zipfile.ZIP_STORED)
        return buffer.getvalue()

    def single(self, notice: RenderedNotice, data: Mapping[str, Any]) -> bytes:
        """The notice's own .docx (the file kept in the register)."""
        return self._package(notice.body, [notice], data)

    def combined(self, notices: Sequence[RenderedNotice], first: Mapping[str, Any]) -> bytes:
        """All notices in one .docx, each its own section starting at page 1."""
        breaker = _section_break(self._sect)
        return self._package(breaker.join(r.body for r in notices), notices, first)

    def combine_files(self, files: Sequence[bytes]) -> bytes:
        """One printable .docx from notices kept as files (reprinting exactly what was issued)."""
        bodies, pieces = [], []
        for n, data in enumerate(files, 1):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                document = archive.read(_DOCUMENT).decode("utf-8")
                names = [name for name in archive.namelist() if name.startswith("word/media/ssj_qr")]
                png = archive.read(names[0]) if names else b""
            inner = document[document.index(">", document.index("<w:body")) + 1:document.rindex("<w:sectPr")]
            inner = re.sub(r"rIdSsjQr\d+", f"rIdSsjQr{n}", inner)
            inner = re.sub(r'(<wp:docPr id=")\d+(" name="qr)\d+', rf"\g<1>{n}\g<2>{n}", inner)
            bodies.append(inner)
            pieces.append(RenderedNotice(inner, png, n))
        return self._package(_section_break(self._sect).join(bodies), pieces, {})
