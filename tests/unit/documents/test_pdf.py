"""Where LibreOffice is installed: convert to PDF, count pages, measure the printed page.

Skipped when soffice (or poppler's pdfinfo/pdftotext/pdftoppm) is absent.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.documents import find_soffice, to_pdf

from .conftest import SAMPLES, notice

pytestmark = pytest.mark.skipif(
    find_soffice() is None or not all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdftoppm")),
    reason="LibreOffice 或 poppler-utils 未安装")

MM_PER_PT = 25.4 / 72


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _pages(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))


def _page_text(pdf: Path, page: int) -> str:
    """A page's text without the spaces pdftotext puts between CJK and digits."""
    text = _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")
    return re.sub(r"[ \t]+", "", text)


def _ink_box_mm(pdf: Path, page: int) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of everything printed on a page, in mm."""
    out = pdf.with_name(f"{pdf.stem}-p{page}")
    _run("pdftoppm", "-r", "72", "-gray", "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(out))
    data = out.with_suffix(".pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    pixels = data[m.end():]
    rows = [r for r in range(h) if min(pixels[r * w:(r + 1) * w]) < 128]
    cols = [c for c in range(w) if min(pixels[c::w]) < 128]
    return (cols[0] * MM_PER_PT, rows[0] * MM_PER_PT,
            (cols[-1] + 1) * MM_PER_PT, (rows[-1] + 1) * MM_PER_PT)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    from app.documents import TemplateStore, bundled_forms_dir
    work = tmp_path_factory.mktemp("pdf")
    store = TemplateStore(work / "user", bundled_forms_dir())
    docs = {
        "notices": store.load("notice").render_batch(
            [notice(1), notice(2, 后续处置="", 检查结果="未发现问题"),
             notice(3, 被检查单位="馆陶县某某农业科技发展有限责任公司第一百二十三分公司")],
            work / "notices.docx"),
        "rulebook": store.load("rulebook").render(SAMPLES["rulebook"](), work / "rulebook.docx"),
        "check_form": store.load("check_form").render(SAMPLES["check_form"](), work / "check.docx"),
    }
    result = {}
    for key, path in docs.items():
        pdf = to_pdf(path)
        assert pdf is not None, f"LibreOffice 未能转换 {path.name}"
        result[key] = pdf
    return result


def test_each_notice_is_one_a4_page(pdfs):
    pdf = pdfs["notices"]
    assert _pages(pdf) == 3
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", _run("pdfinfo", str(pdf)))
    for page in (1, 2, 3):
        text = _page_text(pdf, page)
        assert "检查结果告知书" in text and "特此告知" in text and f"〔2026〕{page}号" in text
        assert "—1—" in text  # page numbers restart per notice


def test_printed_text_block_is_on_the_official_margins(pdfs):
    left, top, right, bottom = _ink_box_mm(pdfs["notices"], 1)
    assert 27.5 <= left <= 30, left            # 28 mm binding-side margin
    assert 37 <= top <= 45, top                # title starts below the 37 mm top margin
    # justified lines reach the 26 mm right margin; a line-end "，" or "。" may
    # hang into it (CJK hanging punctuation, on by default in WPS/Word/LibreOffice)
    assert 210 - 26 - 1 <= right <= 210 - 26 + 2, right
    assert 297 - 35 < bottom < 297 - 15, bottom  # the page number sits below the text block


def test_rulebook_runs_over_pages_with_odd_even_numbers(pdfs):
    pdf = pdfs["rulebook"]
    pages = _pages(pdf)
    assert pages >= 3
    assert "随机抽查工作细则" in _page_text(pdf, 1) and "一、总则" in _page_text(pdf, 1)
    assert "二、组织领导" in _page_text(pdf, 1) + _page_text(pdf, 2)
    for page in (1, 2):
        assert f"—{page}—" in _page_text(pdf, page)
    lines = _page_text(pdf, 1).splitlines()
    full = [ln for ln in lines if ln.startswith("管理局随机抽查工作")]
    assert full and len(full[0]) == 28  # 28 characters a line (GB/T 9704 §5.2.2)
    odd = _ink_box_mm(pdf, 1)
    even = _ink_box_mm(pdf, 2)
    assert odd[0] < 30 and even[0] < 30


def test_check_form_converts(pdfs):
    pdf = pdfs["check_form"]
    assert _pages(pdf) == 1  # a two-item form fits one page
    text = _page_text(pdf, 1)
    assert "随机抽查检查表" in text and "☑" in text and "拒绝签字或盖章" in text


def test_no_soffice_means_none(monkeypatch, tmp_path):
    monkeypatch.setattr("app.documents.preview.find_soffice", lambda: None)
    assert to_pdf(tmp_path / "x.docx") is None


def test_monthly_report_prints_on_one_a4_page(tmp_path):
    from app.documents import TemplateStore, bundled_forms_dir
    store = TemplateStore(tmp_path / "user", bundled_forms_dir())
    xlsx = store.load("monthly_report").render(
        {"工作表名称": "2026年11月", "单位名称": "馆陶县市场监督管理局", "检查事项情况": "共 3 大项、12 小项"},
        tmp_path / "月报表.xlsx")
    pdf = to_pdf(xlsx)
    if pdf is None:
        pytest.skip("LibreOffice Calc 未安装，无法转换 .xlsx")
    assert _pages(pdf) == 1
    text = _page_text(pdf, 1)
    assert "监管工作月报表" in text and "共3大项、12小项" in text and "（注明文件名称及文号）（本月）" in text


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools 未安装")
def test_printed_qr_codes_scan(pdfs):
    """The QR codes survive docx → LibreOffice → PDF → 150 dpi raster and decode."""
    pdf = pdfs["notices"]
    for page in (1, 2, 3):
        png = pdf.with_name(f"qr-{page}")
        _run("pdftoppm", "-r", "150", "-f", str(page), "-l", str(page), "-png", "-singlefile",
             str(pdf), str(png))
        found = subprocess.run(["zbarimg", "-q", "--raw", str(png.with_suffix(".png"))],
                               capture_output=True, text=True).stdout.strip()
        assert found == notice(page)["核验二维码"]
