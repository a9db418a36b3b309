"""Publication tables on both databases: the import layout, the 突击检查 rule, a province's
edited column template, the website .docx — and no cell Excel or WPS would execute."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from app.documents import TemplateStore
from app.services.rulebooks import templates
from app.services.errors import UserError
from app.services.publication import tables
from tests.integration.publication_data import build_county, inspect

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = ("=HYPERLINK(\"http://x.example/\",\"点此\")", "+cmd|' /C calc'!A0", "@SUM(1+1)")


def _cells(path):
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_nothing_executes(path) -> None:
    for cell in _cells(path):
        assert cell.data_type != "f", f"{cell.coordinate} 是公式：{cell.value}"
        if isinstance(cell.value, str) and cell.value.startswith(DANGEROUS):
            pytest.fail(f"{cell.coordinate} 以 {cell.value[0]!r} 开头而未转义：{cell.value}")


@pytest.fixture
def store(tmp_path) -> TemplateStore:
    return TemplateStore(tmp_path / "user_forms")


def test_result_table_in_the_import_layout(database, tmp_path, store):
    county = build_county(database, subject_names=HOSTILE[:2])
    inspect(database, county.inspection_ids[0], date(2026, 10, 20), category="-未发现问题")
    inspect(database, county.inspection_ids[1], date(2026, 10, 22), category=HOSTILE[2])
    out = tmp_path / "结果.xlsx"
    assert tables.export_table(database, county.task_id, "结果", out, store=store) == 2
    ws = load_workbook(out).worksheets[0]
    assert ws.title == "青市监抽查〔2026〕1号"
    header = [c.value for c in ws[1]]
    assert header[:8] == ["序号", "抽查计划编号", "抽查计划名称", "抽查任务编号", "抽查任务名称", "抽查类型", "抽查机关",
                          "抽查完成日期"]
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    assert [r["检查对象名称"] for r in rows] == ["'" + HOSTILE[0], "'" + HOSTILE[1]]
    assert rows[0]["检查事项"] == "一般风险食品销售监督检查" and rows[0]["检查事项结果"] == "'-未发现问题"
    assert rows[1]["结果"] == "'" + HOSTILE[2] and rows[1]["类型"] == "抽查"
    assert rows[0]["抽查机关"] == "青禾县市场监督管理局" and rows[0]["抽查类型"] == "本部门抽查"
    assert {r["抽查完成日期"] for r in rows} == {"2026年10月22日"}
    assert_nothing_executes(out)


def test_drawn_list_and_the_surprise_rule(database, tmp_path, store):
    county = build_county(database)
    out = tmp_path / "名单.xlsx"
    assert tables.export_table(database, county.task_id, "名单", out, store=store) == 2
    rows = list(load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [r[7] for r in rows] == ["青禾县甲商店", "青禾县乙公司"]
    assert_nothing_executes(out)
    with pytest.raises(UserError, match="突击检查任务：抽取名单须在检查全部完成后再公示"):
        tables.export_table(database, county.surprise_task_id, "名单", out, store=store)
    for inspection_id in county.surprise_inspection_ids:
        inspect(database, inspection_id, date(2026, 11, 5))
    assert tables.export_table(database, county.surprise_task_id, "名单", out, store=store) == 2
    with pytest.raises(UserError, match="名单.*结果"):
        tables.export_table(database, county.task_id, "公告", out, store=store)


def test_a_province_edits_the_columns_without_code(database, tmp_path, store):
    county = build_county(database)
    inspect(database, county.inspection_ids[0], date(2026, 10, 20))
    copy = templates.open_user_copy("result_import", store)
    wb = load_workbook(copy)
    ws = wb.worksheets[0]
    ws.delete_cols(2, 3)  # no plan columns in this province
    ws["A1"] = "行号"
    wb.save(copy)
    out = tmp_path / "省版.xlsx"
    tables.export_table(database, county.task_id, "结果", out, store=store)
    header = [c.value for c in load_workbook(out).worksheets[0][1]]
    assert header[:3] == ["行号", "抽查任务名称", "抽查类型"] and "抽查计划名称" not in header


def test_website_docx(database, tmp_path, store):
    county = build_county(database, subject_names=("=1+1", "青禾县乙公司"))
    inspect(database, county.inspection_ids[0], date(2026, 10, 20))
    out = tables.export_website(database, county.task_id, "结果", tmp_path / "网站.docx", on=date(2026, 10, 30),
                                store=store)
    text = "\n".join(p.text for p in Document(out).paragraphs)
    cells = [c.text for t in Document(out).tables for row in t.rows for c in row.cells]
    assert "食品销售经营者监督检查抽查结果公示" in text and "2026年10月30日" in text
    assert "=1+1" in cells and "检查结果" in cells  # Word does not execute text; shown as written


def test_the_existing_result_publication_form_is_neutralised(tmp_path, store):
    out = tmp_path / "公示表.xlsx"
    row = {"序号": 1, "检查对象": HOSTILE[0], "统一社会信用代码": "+86", "抽查类型": "本部门抽查",
           "检查事项": "@SUM(A1)", "检查实施机关": "-1+1", "检查完成日期": "2026-10-20", "检查结果": "-12.5",
           "后续处置": "\t=cmd"}
    templates.render("publication", [{"部门名称": "=某局", "任务名称": "x", "任务编号": "1", "检查结果": [row]}],
                     out, store=store)
    values = {c.value for c in _cells(out) if isinstance(c.value, str)}
    # Plain numbers written as text ("+86", "-12.5") execute nothing and are left as typed.
    assert {"'" + HOSTILE[0], "'@SUM(A1)", "'-1+1", "'\t=cmd", "+86", "-12.5"} <= values
    assert "'=某局随机抽查检查结果公示表" in values
    for cell in _cells(out):
        assert cell.data_type != "f"
