"""Filling .docx templates: values, QR images, batches, progress, cancel, one file each."""
from __future__ import annotations

import re
import struct
import zipfile

import pytest
from docx import Document

from app.documents import RenderCancelled
from app.documents.fields import format_date

from .conftest import SAMPLES, check_form, notice, part, visible_text


#: declared fields a default template leaves out (an office may add them)
UNUSED = {"notice": {"住所"}}


def _values(data, skip=()) -> list[str]:
    """Every leaf text of a sample context, as it should be printed."""
    out = []
    for key, value in data.items():
        if key in ("核验二维码", *skip) or value in ("", None):
            continue
        if isinstance(value, list):
            for v in value:
                out += _values(v) if isinstance(v, dict) else [str(v)]
        elif hasattr(value, "year"):
            out.append(format_date(value))
        else:
            out.append(str(value))
    return out


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_every_value_is_printed(store, tmp_path, key):
    data = SAMPLES[key]()
    out = store.load(key).render(data, tmp_path / "out.docx")
    text = visible_text(part(out, "word/document.xml"))
    for value in _values(data, UNUSED.get(key, ())):
        if key == "draw_record" and isinstance(value, str) and value.startswith("2026年11月1日"):
            value = "2026年11月1日 09:30"
        assert value.replace("&", "&amp;") in text, value


def test_paragraph_fields_become_paragraphs(store, tmp_path):
    out = store.load("rulebook").render(SAMPLES["rulebook"](), tmp_path / "r.docx")
    doc = Document(out)
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("为全面推行“双随机、一公开”监管，规范馆陶县市场监督管理局") for t in texts)
    assert "本细则自印发之日起施行。上级部门另有规定的，从其规定。" in texts
    assert "十一、附则" in texts
    first = next(p for p in doc.paragraphs if p.text.startswith("为全面推行"))
    assert first.style.name == "Normal"  # continuation paragraphs keep the body style


def test_checkboxes_and_rows_of_the_check_form(store, tmp_path):
    out = store.load("check_form").render(check_form(), tmp_path / "c.docx")
    text = visible_text(part(out, "word/document.xml"))
    assert "☑实地检查" in text and "☑书面检查" in text and "□网络监测" in text
    assert "李军霞（执法证号：13040001）、王可（执法证号：13040002）" in text
    assert "拒绝签字或盖章" in text
    doc = Document(out)
    items = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    assert len(items.rows) == 1 + 2 + 1  # header, two 检查事项, 检查结果


def test_text_is_escaped_not_executed(store, tmp_path):
    name = 'A&B <有限> "公司" {{ 部门名称 }}'
    out = store.load("notice").render(notice(被检查单位=name), tmp_path / "n.docx")
    assert name in Document(out).paragraphs[3].text


def test_optional_paragraph_is_dropped_when_empty(store, tmp_path):
    out = store.load("notice").render(notice(后续处置=""), tmp_path / "n.docx")
    texts = [p.text for p in Document(out).paragraphs]
    assert not any("整改" in t for t in texts)
    assert "" not in texts[4:7]


def _png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", blob[16:24])


def test_batch_one_file_sections_images_and_page_numbers(store, tmp_path):
    n = 25
    seen = []
    out = store.load("notice").render_batch([notice(i) for i in range(1, n + 1)],
                                            tmp_path / "batch.docx",
                                            progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (n, n) and len(seen) == n
    doc_xml = part(out, "word/document.xml")
    sections = re.findall(r"<w:sectPr>.*?</w:sectPr>", doc_xml)
    assert len(sections) == n
    assert all('<w:pgNumType w:start="1"/>' in s for s in sections)
    assert all('w:type="even"' in s for s in sections)
    ids = re.findall(r'<wp:docPr id="(\d+)"', doc_xml)
    assert len(ids) == n == len(set(ids))
    with zipfile.ZipFile(out) as z:
        media = [m for m in z.namelist() if m.startswith("word/media/")]
        assert len(media) == n
        w, h = _png_size(z.read(media[0]))
        assert w == h and w >= 200
    rels = part(out, "word/_rels/document.xml.rels")
    embeds = re.findall(r'r:embed="([^"]+)"', doc_xml)
    assert all(f'Id="{rid}"' in rels for rid in embeds)
    text = visible_text(doc_xml)
    assert all(f"馆市监抽告〔2026〕{i}号" in text for i in range(1, n + 1))
    assert len(Document(out).sections) == n  # python-docx reads it back


def test_cancel_leaves_no_file(store, tmp_path):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    out = tmp_path / "batch.docx"
    with pytest.raises(RenderCancelled):
        store.load("notice").render_batch([notice(i) for i in range(10)], out, cancelled=cancelled)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_one_file_each(store, tmp_path):
    names = ["恒达/食品", "恒达/食品", "鑫源"]
    seen = []
    paths = store.load("notice").render_each([notice(i) for i in range(3)], tmp_path / "each",
                                             names=names, progress=lambda d, t: seen.append(d))
    assert [p.name for p in paths] == ["恒达_食品.docx", "恒达_食品_.docx", "鑫源.docx"]
    assert seen == [1, 2, 3]
    assert all(len(Document(p).sections) == 1 for p in paths)


def test_empty_batch_is_refused(store, tmp_path):
    with pytest.raises(ValueError, match="没有要生成的文书"):
        store.load("notice").render_batch([], tmp_path / "x.docx")
