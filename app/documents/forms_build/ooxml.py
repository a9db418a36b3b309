"""A clean GB/T 9704-2012 base .docx package, written part by part.

python-docx's bundled default template carries an English/Japanese theme and
theme-linked fonts (``w:eastAsiaTheme="minorEastAsia"`` resolving to ＭＳ 明朝),
so Chinese text silently falls back to Japanese glyphs in Word and WPS.  We
therefore never start from it: every part below is written here, every run
property names its East-Asian font explicitly, the language is zh-CN and the
theme's East-Asian fonts are the official ones.

Geometry (GB/T 9704-2012 §5.2): A4, top 37 mm, bottom 35 mm, left (binding
side) 28 mm, right 26 mm, giving the 156 × 225 mm text block of 22 lines ×
28 characters; body 3号 (16 pt) 仿宋_GB2312 at an exact 28.95 pt line pitch;
title 2号 (22 pt) 方正小标宋简体; page numbers "— 1 —" in 4号 (14 pt) 宋体, odd
pages right and even pages left, each one character in from the edge.
"""
from __future__ import annotations

import io
import re
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

#: twips (1/1440 inch) — the values tests compare against.
MM = 1440 / 25.4
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM = round(37 * MM), round(35 * MM)
MARGIN_LEFT, MARGIN_RIGHT = round(28 * MM), round(26 * MM)
#: the page-number line starts 7 mm below the text block (GB/T 9704 §7.5).
FOOTER_DISTANCE = round(21 * MM)
HEADER_DISTANCE = round(15 * MM)
LINE_PITCH = 579  # 28.95 pt exact
#: 28 characters a line: 156 mm = 442.2 pt, so a 16 pt character may take at
#: most 15.79 pt; condensing by 0.25 pt (−5 twentieths) gives 28 × 15.75 pt.
#: (A linesAndChars document grid would do the same in Word, but LibreOffice
#: 7.4 lays such a grid out at about half the characters a line.)
CHAR_SPACING = -5


def rfonts(east_asia: str, latin: str = LATIN) -> str:
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" '
            f'w:eastAsia="{east_asia}" w:cs="{latin}"/>')


def _rpr(east_asia: str, half_points: int, latin: str = LATIN, spacing: int = 0) -> str:
    """Run properties; ``spacing`` is character spacing in twentieths of a point."""
    sp = f'<w:spacing w:val="{spacing}"/>' if spacing else ""
    return (f"<w:rPr>{rfonts(east_asia, latin)}{sp}"
            f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')


def _pstyle(style_id: str, name: str, ppr: str, rpr: str, *, default: bool = False,
            next_id: str = "", outline: int | None = None) -> str:
    d = ' w:default="1"' if default else ""
    nxt = f'<w:next w:val="{next_id}"/>' if next_id else ""
    based = "" if default else '<w:basedOn w:val="Normal"/>'
    lvl = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    return (f'<w:style w:type="paragraph"{d} w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>{based}{nxt}<w:qFormat/>'
            f"<w:pPr>{ppr}{lvl}</w:pPr>{rpr}</w:style>")


EXACT = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
INDENT2 = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'


def styles_xml() -> str:
    return _STYLES_XML


STYLE_NAMES: dict[str, str] = {}


def _build_styles_xml() -> str:
    """Paragraph, character and table styles; names are what a clerk sees in WPS."""
    table_text = '<w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="exact"/>'
    styles = [
        _pstyle("Normal", "Normal", f"{EXACT}{INDENT2}<w:jc w:val=\"both\"/>",
                _rpr(FANGSONG, 32, spacing=CHAR_SPACING), default=True),
        _pstyle("GwTitle", "公文标题", f'<w:keepNext/><w:spacing w:before="0" w:after="0" '
                f'w:line="700" w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>',
                _rpr(XIAOBIAOSONG, 44, XIAOBIAOSONG), next_id="Normal"),
        _pstyle("GwSubTitle", "文书副标题", f"{NO_INDENT}<w:jc w:val=\"center\"/>",
                _rpr(KAITI, 32), next_id="Normal"),
        _pstyle("GwNumber", "发文字号", f"{NO_INDENT}<w:jc w:val=\"center\"/>",
                _rpr(FANGSONG, 32), next_id="Normal"),
        _pstyle("Heading1", "一级标题", f"<w:keepNext/>{INDENT2}", _rpr(HEITI, 32),
                next_id="Normal", outline=0),
        _pstyle("Heading2", "二级标题", f"<w:keepNext/>{INDENT2}", _rpr(KAITI, 32),
                next_id="Normal", outline=1),
        _pstyle("GwAddressee", "主送机关", NO_INDENT, _rpr(FANGSONG, 32), next_id="Normal"),
        _pstyle("GwSignature", "署名与成文日期",
                '<w:ind w:right="1280" w:rightChars="400" w:firstLineChars="0" w:firstLine="0"/>'
                '<w:jc w:val="right"/>',
                _rpr(FANGSONG, 32)),
        _pstyle("GwNote", "附注", INDENT2, _rpr(FANGSONG, 32)),
        _pstyle("TableText", "表格文字", f"{table_text}{NO_INDENT}<w:jc w:val=\"left\"/>",
                _rpr(FANGSONG, 24)),
        _pstyle("TableHead", "表格标题行", f"{table_text}{NO_INDENT}<w:jc w:val=\"center\"/>",
                _rpr(HEITI, 24)),
        _pstyle("Caption", "图片说明", f'<w:spacing w:before="0" w:after="0" w:line="240" '
                f'w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>', _rpr(FANGSONG, 18)),
        _pstyle("TableCenter", "表格文字居中", f"{table_text}{NO_INDENT}<w:jc w:val=\"center\"/>",
                _rpr(FANGSONG, 24)),
        _pstyle("HashText", "哈希值", f"{table_text}{NO_INDENT}<w:jc w:val=\"left\"/>",
                _rpr(FANGSONG, 16, "Courier New")),
        _pstyle("Footer", "页码", f'<w:spacing w:before="0" w:after="0" w:line="400" '
                f'w:lineRule="exact"/>{NO_INDENT}', _rpr(SONGTI, 28, SONGTI)),
    ]
    cell_margins = ('<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
                    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>')
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(b) for b in
                      ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (
        f'{HEAD}<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{rfonts(FANGSONG)}<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        '<w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        f'{EXACT}<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
        + "".join(styles)
        + '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        f'<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{cell_margins}</w:tblPr></w:style>'
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/>'
        f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>{cell_margins}</w:tblPr></w:style>"
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        "<w:semiHidden/></w:style></w:styles>"
    )


_STYLES_XML = _build_styles_xml()
STYLE_NAMES.update(dict(re.findall(r'w:styleId="(\w+)"><w:name w:val="([^"]+)"', _STYLES_XML)))


def settings_xml() -> str:
    return (
        f'{HEAD}<w:settings xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>'
        '<w:drawingGridVerticalSpacing w:val="579"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/>'
        "<w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/>"
        "<w:adjustLineHeightInTable/><w:useFELayout/>"
        '<w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="zh-CN" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


_FONTS = [  # name, altName (what Word/WPS try when the font is missing), charset, family
    (FANGSONG, "仿宋", "86", "modern"),
    (XIAOBIAOSONG, "宋体", "86", "script"),
    (HEITI, "SimHei", "86", "modern"),
    (KAITI, "楷体", "86", "modern"),
    (SONGTI, "SimSun", "86", "auto"),
    (LATIN, "", "00", "roman"),
    ("Courier New", "", "00", "modern"),
]


def font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{n}">' + (f'<w:altName w:val="{a}"/>' if a else "")
        + f'<w:charset w:val="{c}"/><w:family w:val="{f}"/><w:pitch w:val="variable"/></w:font>'
        for n, a, c, f in _FONTS)
    return f'{HEAD}<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">{fonts}</w:fonts>'


def footer_xml(odd: bool) -> str:
    """"— N —" page number; odd pages right, even pages left, one 4号 character in."""
    ind = '<w:ind w:right="280" w:rightChars="100"/><w:jc w:val="right"/>' if odd else \
        '<w:ind w:left="280" w:leftChars="100"/><w:jc w:val="left"/>'
    rpr = _rpr(SONGTI, 28, SONGTI)
    run = f"<w:r>{rpr}{{}}</w:r>"
    return (
        f'{HEAD}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr>'
        f'<w:pStyle w:val="Footer"/>{ind}</w:pPr>'
        + run.format('<w:t xml:space="preserve">— </w:t>')
        + run.format('<w:fldChar w:fldCharType="begin"/>')
        + run.format('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run.format('<w:fldChar w:fldCharType="separate"/>')
        + run.format("<w:t>1</w:t>")
        + run.format('<w:fldChar w:fldCharType="end"/>')
        + run.format('<w:t xml:space="preserve"> —</w:t>')
        + "</w:p></w:ftr>"
    )


def sect_pr_xml(start_page_at_one: bool = True) -> str:
    """The section properties every template ends with (rId5 odd, rId6 even footer)."""
    pg_num = '<w:pgNumType w:start="1"/>' if start_page_at_one else ""
    return (
        '<w:sectPr><w:footerReference w:type="default" r:id="rId5"/>'
        '<w:footerReference w:type="even" r:id="rId6"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" '
        f'w:gutter="0"/>{pg_num}<w:cols w:space="425"/>'
        f'<w:docGrid w:linePitch="{LINE_PITCH}"/></w:sectPr>'
    )


def theme_xml() -> str:
    """A complete DrawingML theme whose East-Asian fonts are the official ones."""
    fills = ('<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3)
    lines = ''.join(f'<a:ln w="{w}"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>'
                    for w in (6350, 12700, 19050))
    effects = "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    colours = "".join(f'<a:{n}><a:srgbClr val="{v}"/></a:{n}>' for n, v in (
        ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
        ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"),
        ("accent6", "70AD47"), ("hlink", "0563C1"), ("folHlink", "954F72")))

    def font(latin: str, ea: str) -> str:
        return (f'<a:latin typeface="{latin}"/><a:ea typeface="{ea}"/><a:cs typeface=""/>'
                f'<a:font script="Hans" typeface="{ea}"/>')
    return (
        f'{HEAD}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'name="公文主题"><a:themeElements><a:clrScheme name="公文">'
        '<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
        '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
        f'{colours}</a:clrScheme><a:fontScheme name="公文">'
        f"<a:majorFont>{font(LATIN, XIAOBIAOSONG)}</a:majorFont>"
        f"<a:minorFont>{font(LATIN, FANGSONG)}</a:minorFont></a:fontScheme>"
        f'<a:fmtScheme name="公文"><a:fillStyleLst>{fills}</a:fillStyleLst>'
        f"<a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
        "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


_CT = "application/vnd.openxmlformats-officedocument."
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def base_docx(title: str) -> bytes:
    """An empty document (one empty paragraph) built on the parts above."""
    document = (f'{HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body><w:p/>'
                f"{sect_pr_xml()}</w:body></w:document>")
    content_types = (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_CT}wordprocessingml.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{_CT}wordprocessingml.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{_CT}wordprocessingml.settings+xml"/>'
        f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}wordprocessingml.fontTable+xml"/>'
        f'<Override PartName="/word/theme/theme1.xml" ContentType="{_CT}theme+xml"/>'
        f'<Override PartName="/word/footer1.xml" ContentType="{_CT}wordprocessingml.footer+xml"/>'
        f'<Override PartName="/word/footer2.xml" ContentType="{_CT}wordprocessingml.footer+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{_CT}extended-properties+xml"/>'
        "</Types>")
    rel = '<Relationship Id="{}" Type="{}" Target="{}"/>'
    pkg_rels = (f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + rel.format("rId1", _RT + "officeDocument", "word/document.xml")
                + rel.format("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/"
                             "metadata/core-properties", "docProps/core.xml")
                + rel.format("rId3", _RT + "extended-properties", "docProps/app.xml")
                + "</Relationships>")
    doc_rels = (f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + rel.format("rId1", _RT + "styles", "styles.xml")
                + rel.format("rId2", _RT + "settings", "settings.xml")
                + rel.format("rId3", _RT + "fontTable", "fontTable.xml")
                + rel.format("rId4", _RT + "theme", "theme/theme1.xml")
                + rel.format("rId5", _RT + "footer", "footer1.xml")
                + rel.format("rId6", _RT + "footer", "footer2.xml")
                + "</Relationships>")
    core = (f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{title}</dc:title><dc:creator>双随机工作台</dc:creator>"
            "<dc:language>zh-CN</dc:language></cp:coreProperties>")
    app = (f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties"><Application>双随机工作台</Application></Properties>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", content_types), ("_rels/.rels", pkg_rels),
                           ("word/document.xml", document), ("word/_rels/document.xml.rels", doc_rels),
                           ("word/styles.xml", styles_xml()), ("word/settings.xml", settings_xml()),
                           ("word/fontTable.xml", font_table_xml()),
                           ("word/theme/theme1.xml", theme_xml()),
                           ("word/footer1.xml", footer_xml(odd=True)),
                           ("word/footer2.xml", footer_xml(odd=False)),
                           ("docProps/core.xml", core), ("docProps/app.xml", app)):
            z.writestr(name, text)
    return buf.getvalue()
