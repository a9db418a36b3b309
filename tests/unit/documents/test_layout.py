"""GB/T 9704-2012 layout and Chinese fonts of the shipped .docx templates and their output."""
from __future__ import annotations

import re

import pytest
from docx import Document
from docx.shared import Length, Mm

from app.documents import DOCUMENT_KINDS, bundled_forms_dir

from .conftest import SAMPLES, part, parts

DOCX_KINDS = [k for k in DOCUMENT_KINDS.values() if not k.is_xlsx]
#: (top, bottom) margins in mm: GB/T 9704 for 公文; the 检查表 is a form filled in on site, whose
#: shorter top and bottom margins keep a two-item form and its signature blocks on one page.
VERTICAL_MARGINS = {"check_form": (20, 20)}


@pytest.fixture(params=[k.key for k in DOCX_KINDS])
def rendered(request, store, tmp_path):
    """(template path, rendered path, kind) for every .docx kind."""
    form = store.load(request.param)
    out = form.render(SAMPLES[request.param](), tmp_path / f"{request.param}.docx")
    return form.path, out, request.param


@pytest.mark.parametrize("which", [0, 1])
def test_page_is_a4_with_official_margins(rendered, which):
    doc = Document(rendered[which])
    for section in doc.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5)
        assert abs(section.page_height - Mm(297)) < Mm(0.5)
        top, bottom = VERTICAL_MARGINS.get(rendered[2], (37, 35))
        assert round(section.top_margin.mm) == top
        assert round(section.bottom_margin.mm) == bottom
        assert round(section.left_margin.mm) == 28
        assert round(section.right_margin.mm) == 26
        text_w = section.page_width - section.left_margin - section.right_margin
        text_h = section.page_height - section.top_margin - section.bottom_margin
        assert round(Length(text_w).mm) == 156
        assert round(Length(text_h).mm) == 297 - top - bottom


@pytest.mark.parametrize("which", [0, 1])
def test_chinese_fonts_are_explicit_and_language_is_zh_cn(rendered, which):
    styles = part(rendered[which], "word/styles.xml")
    defaults = re.search(r"<w:docDefaults>.*</w:docDefaults>", styles).group(0)
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    assert 'w:lang w:val="zh-CN" w:eastAsia="zh-CN"' in defaults
    # theme-linked fonts would override the explicit names (→ Japanese fallback)
    everything = styles + part(rendered[which], "word/document.xml")
    assert "Theme=" not in everything and "eastAsiaTheme" not in everything
    for rfonts in re.findall(r"<w:rFonts [^>]*>", everything):
        assert "w:eastAsia=" in rfonts, rfonts
    settings = part(rendered[which], "word/settings.xml")
    assert '<w:themeFontLang w:val="zh-CN" w:eastAsia="zh-CN"/>' in settings
    theme = part(rendered[which], "word/theme/theme1.xml")
    assert "Jpan" not in theme and "ＭＳ" not in theme
    assert '<a:ea typeface="仿宋_GB2312"/>' in theme


def _style(styles_xml: str, style_id: str) -> str:
    return re.search(rf'<w:style [^>]*w:styleId="{style_id}">.*?</w:style>', styles_xml).group(0)


def test_body_title_and_heading_styles_follow_the_standard(rendered):
    styles = part(rendered[1], "word/styles.xml")
    normal = _style(styles, "Normal")
    assert 'w:eastAsia="仿宋_GB2312"' in normal and '<w:sz w:val="32"/>' in normal  # 3号
    assert 'w:line="579" w:lineRule="exact"' in normal  # 28.95 pt: 22 lines in 225 mm
    assert '<w:spacing w:val="-5"/>' in normal  # 15.75 pt a character: 28 in 156 mm
    title = _style(styles, "GwTitle")
    assert 'w:eastAsia="方正小标宋简体"' in title and '<w:sz w:val="44"/>' in title  # 2号
    assert 'w:eastAsia="黑体"' in _style(styles, "Heading1")
    assert 'w:eastAsia="楷体_GB2312"' in _style(styles, "Heading2")


def test_page_numbers_odd_right_even_left(rendered):
    out = rendered[1]
    assert "<w:evenAndOddHeaders/>" in part(out, "word/settings.xml")
    document = part(out, "word/document.xml")
    sect = re.findall(r"<w:sectPr>.*?</w:sectPr>", document)[-1]
    refs = dict(re.findall(r'<w:footerReference w:type="(\w+)" r:id="(\w+)"/>', sect))
    assert set(refs) == {"default", "even"}
    rels = part(out, "word/_rels/document.xml.rels")
    target = {rid: re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
              for rid in refs.values()}
    odd = part(out, "word/" + target[refs["default"]])
    even = part(out, "word/" + target[refs["even"]])
    for footer in (odd, even):
        assert "PAGE" in footer and "— " in footer and " —" in footer
        assert 'w:eastAsia="宋体"' in footer and '<w:sz w:val="28"/>' in footer  # 4号
    assert '<w:jc w:val="right"/>' in odd and '<w:jc w:val="left"/>' in even


def test_every_placeholder_is_filled(rendered):
    out = rendered[1]
    for name, xml in parts(out, r"word/(document|footer\d|header\d)\.xml").items():
        assert "{{" not in xml and "{%" not in xml and "}}" not in xml and "%}" not in xml, name


def test_templates_show_their_placeholders():
    """The shipped templates are real templates an office can read and edit."""
    for kind in DOCX_KINDS:
        xml = part(bundled_forms_dir() / kind.filename, "word/document.xml")
        assert "{{ 部门名称 }}" in xml, kind.filename
