"""The batch 随机抽查检查表 of a drawn task: one combined .docx, each form pre-filled with its QR code."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document
from sqlalchemy import select

from app.domain.replacement import ReplacementReason
from app.db.models import CheckItem, Task
from app.documents import find_soffice, to_pdf
from app.services.draw import ceremony as draws
from app.services.errors import UserError
from app.services.inspection import forms, records
from tests.integration.inspection_county import demo_county, draw_task, task_named
from tests.actors import CLERK, SUPERVISOR

needs_office = pytest.mark.skipif(
    find_soffice() is None or not all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "zbarimg", "pdftoppm")),
    reason="LibreOffice、poppler-utils 或 zbar 未安装")


def _text(path) -> str:
    doc = Document(str(path))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_one_combined_file_holds_a_prefilled_form_per_live_inspection(database, tmp_path):
    demo_county(database)
    task_id = task_named(database, "宾馆")
    view = draw_task(database, task_id, tmp_path / "包")
    rows = records.list_inspections(database, task_id)
    draws.replace_subject(database, CLERK, view.id, rows[0].subject_code, ReplacementReason.DEREGISTERED,
                          confirmed_by=SUPERVISOR)
    live = records.list_inspections(database, task_id, status="待检查")

    out = tmp_path / "检查表.docx"
    assert forms.print_check_tables(database, task_id, out) == len(live) == 6
    doc = Document(str(out))
    assert len(doc.sections) == 6  # one section per form, each numbered from page 1
    text = _text(out)
    assert rows[0].subject_name not in text  # the replaced subject gets no form
    for row in live:
        assert row.subject_name in text and row.qr_text in text and row.leader in text
    assert "宾馆、旅店卫生情况的检查" in text and "高风险食品销售监督检查" in text  # both departments' items
    assert "执法证号：4199" in text and "拒绝签字或盖章" in text and "组长审核" in text
    assert "青禾县市场监督管理局、青禾县卫生健康委员会" in text

    chosen = tmp_path / "两份.docx"
    assert forms.print_check_tables(database, task_id, chosen, [live[1].id, live[3].id]) == 2
    assert live[3].subject_name in _text(chosen) and live[0].subject_name not in _text(chosen)


def test_no_forms_before_the_draw_and_only_docx(database, tmp_path):
    demo_county(database, subjects=100)
    task_id = task_named(database, "宾馆")
    with pytest.raises(UserError, match="还没有抽取结果"):
        forms.print_check_tables(database, task_id, tmp_path / "表.docx")
    with pytest.raises(UserError, match=r"\.docx"):
        forms.print_check_tables(database, task_id, tmp_path / "表.pdf")


def _pdf_pages(pdf) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                            text=True, check=True).stdout).group(1))
    return [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                              capture_output=True, text=True, check=True).stdout)
            for n in range(1, count + 1)]


@needs_office
def test_short_forms_print_one_page_each_and_a_long_one_repeats_its_header(sqlite_database, tmp_path):
    db = sqlite_database
    demo_county(db, subjects=300)
    joint, food = task_named(db, "宾馆"), task_named(db, "食品销售经营者")
    with db.session() as session:  # the food task checks eight items: a long form
        task = session.get(Task, food)
        task.items = list(session.scalars(select(CheckItem).where(CheckItem.compiler == "省市场监管局")
                                          .order_by(CheckItem.id).limit(8)))
    for task_id in (joint, food):
        draw_task(db, task_id, tmp_path / f"包{task_id}")
    short = forms.print_check_tables(db, joint, tmp_path / "联合.docx")
    pages = _pdf_pages(to_pdf(tmp_path / "联合.docx"))
    assert len(pages) == short == 6  # every short form on one page
    assert all("拒签说明" in page and "随机抽查检查表" in page for page in pages)

    first = records.list_inspections(db, food)[0]
    forms.print_check_tables(db, food, tmp_path / "长表.docx", [first.id])
    long_pages = _pdf_pages(to_pdf(tmp_path / "长表.docx"))
    assert len(long_pages) >= 2
    assert all("检查要点" in page and "发现问题情况" in page for page in long_pages[:-1])  # header repeated
    last = long_pages[-1]
    assert "检查结果" in last and "拒签说明" in last and "组长审核" in last  # signatures kept together

    png = tmp_path / "第一页"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(tmp_path / "联合.pdf"), str(png)],
                   check=True)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(next(tmp_path.glob("第一页*.png")))],
                             capture_output=True, text=True, check=False).stdout.strip()
    assert records.find_inspection(db, scanned, joint).id == records.list_inspections(db, joint)[0].id
