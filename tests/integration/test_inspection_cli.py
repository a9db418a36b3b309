"""检查表 and results from the command line, on the same services; refusals exit 2 in Chinese."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from app.cli import run_cli
from app.services.inspection import sheet
from tests.integration.inspection_county import demo_county, draw_task, task_named


pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


@pytest.fixture
def drawn(database, tmp_path):
    demo_county(database, subjects=300)
    task_id = task_named(database, "食品销售经营者")
    draw_task(database, task_id, tmp_path / "包")
    return database.url, task_id


def test_forms_sheet_import_and_list(drawn, capsys, tmp_path):
    url, task_id = drawn
    assert run_cli(["--db", url, "forms", "check-tables", "--task", str(task_id), "--out",
                    str(tmp_path / "检查表.docx")]) == 0
    assert "随机抽查检查表 10 份" in capsys.readouterr().out
    assert (tmp_path / "检查表.docx").stat().st_size > 10_000

    path = tmp_path / "结果表.xlsx"
    assert run_cli(["--db", url, "results", "sheet", "--task", str(task_id), "--out", str(path)]) == 0
    capsys.readouterr()
    book = load_workbook(path)
    ws = book[sheet.SHEET]
    for name, value in (("检查日期", "2026-11-25"), ("核查方式", "实地检查"), ("检查结果", "未发现问题"),
                        ("后续处置", "无需后续处置")):
        ws.cell(2, sheet.HEADER.index(name) + 1, value)
    book.save(path)
    assert run_cli(["--db", url, "results", "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["imported"], report["updated"], report["errors"]) == (1, 0, [])

    assert run_cli(["--db", url, "results", "list", "--task", str(task_id), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 10
    first = listed[0]
    assert first["status"] == "已录入" and first["inspected_on"] == "2026-11-25"
    assert first["categories"] == ["未发现问题"] and first["handling"]["follow_ups"] == ["无需后续处置"]
    assert first["closed"] is False and first["subject_code"] and first["subject_name"]
    assert {r["status"] for r in listed[1:]} == {"待检查"}


def test_bad_sheet_and_unknown_task_exit_2_in_chinese(drawn, capsys, tmp_path):
    url, task_id = drawn
    path = tmp_path / "结果表.xlsx"
    run_cli(["--db", url, "results", "sheet", "--task", str(task_id), "--out", str(path)])
    book = load_workbook(path)
    book[sheet.SHEET].cell(2, sheet.HEADER.index("检查结果") + 1, "差不多")
    book.save(path)
    capsys.readouterr()
    assert run_cli(["--db", url, "results", "import", str(path)]) == 2
    err = capsys.readouterr()
    assert "未导入任何结果" in err.out and "第 2 行「检查日期」" in err.err and "第 2 行「检查结果」" in err.err
    assert run_cli(["--db", url, "results", "list", "--task", "999"]) == 2
    assert "没有编号为 999 的任务" in capsys.readouterr().err
    assert run_cli(["--db", url, "forms", "check-tables", "--task", str(task_id), "--out", str(tmp_path / "a.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err
