"""Document engine: fills the forms/ templates (.docx with docxtpl, .xlsx with openpyxl).

Qt-free and database-free.  Typical use::

    store = TemplateStore(user_dir)            # user_dir: platformdirs data dir / "forms"
    form = store.load("notice")                # checked; TemplateProblem if broken
    form.render_batch(contexts, "告知书.docx", progress=cb, cancelled=is_cancelled)
    pdf = to_pdf("告知书.docx")                  # None → open the file in WPS/Word

Each kind's fields: ``DOCUMENT_KINDS[key].describe()``.
"""
from .docx_render import DocxForm, RenderCancelled
from .fields import DocumentKind, Field, format_date
from .kinds import DOCUMENT_KINDS, RULEBOOK_SECTIONS, get_kind
from .preview import find_soffice, to_pdf
from .qr import qr_png
from .rulebook_text import guide_defaults, rulebook_defaults
from .store import TemplateStore, bundled_forms_dir, load_form
from .validate import TemplateProblem
from .xlsx_render import XlsxForm

__all__ = [
    "DocxForm", "XlsxForm", "RenderCancelled", "TemplateProblem", "DocumentKind", "Field",
    "DOCUMENT_KINDS", "RULEBOOK_SECTIONS", "get_kind", "TemplateStore", "bundled_forms_dir", "load_form",
    "to_pdf", "find_soffice", "qr_png", "rulebook_defaults", "guide_defaults", "format_date",
]
