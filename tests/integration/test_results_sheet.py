"""The field results sheet: export, fill in as a team would, import back — both backends."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.db.models import AuditEntry
from app.domain.inspection import InspectionStatus as S
from app.services.errors import UserError
from app.services.inspection import entry, records, sheet
from app.services.inspection.sheet_import import import_sheet
from tests.actors import CLERK, REVIEWER
from tests.integration.inspection_county import demo_county, draw_task, task_named


@pytest.fixture
def exported(database, tmp_path):
    demo_county(database)
    task_id = task_named(database, "食品销售经营者")
    draw_task(database, task_id, tmp_path / "包")
    path = tmp_path / "结果表.xlsx"
    assert sheet.export_sheet(database, task_id, path) == 10
    return database, task_id, path


def _col(name: str) -> int:
    return sheet.HEADER.index(name) + 1


def _fill(path, rows: dict[int, dict[str, object]]) -> None:
    """Write cells as a team would in Excel: {sheet row: {column: value}}."""
    book = load_workbook(path)
    ws = book[sheet.SHEET]
    for row, cells in rows.items():
        for name, value in cells.items():
            ws.cell(row, _col(name), value)
    book.save(path)


CLEAN = {"检查日期": datetime(2026, 11, 25), "核查方式": "实地检查", "检查结果": "未发现问题", "后续处置": "无需后续处置"}


def test_the_sheet_locks_the_subject_and_offers_the_categories(exported):
    db, task_id, path = exported
    book = load_workbook(path)
    ws = book[sheet.SHEET]
    assert [c.value for c in ws[1]] == list(sheet.HEADER)
    assert ws.max_row == 1 + 10 * 2  # one row per inspection and 检查事项
    assert ws.protection.sheet
    assert ws.cell(2, _col("被检查单位")).protection.locked
    assert not ws.cell(2, _col("检查结果")).protection.locked
    assert ws.cell(3, _col("检查结果")).protection.locked  # per inspection: on its first row only
    assert not ws.cell(3, _col("事项结果")).protection.locked
    rules = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    letter = ws.cell(1, _col("检查结果")).column_letter
    assert rules[f"{letter}2"].startswith("'选项'!$A$2")
    options = [c.value for c in book[sheet.LISTS]["A"][1:] if c.value]
    assert options[0] == "未发现问题" and "发现问题已责令改正" in options
    first = records.list_inspections(db, task_id)[0]
    assert ws.cell(2, _col("被检查单位")).value == first.subject_name


def test_a_filled_sheet_imports_and_an_unchanged_reimport_changes_nothing(exported):
    db, task_id, path = exported
    _fill(path, {
        2: CLEAN,
        4: {"检查日期": "2026/11/26", "核查方式": "实地检查、书面检查", "检查结果": "发现问题已责令改正",
            "后续处置": "责令改正", "整改期限": date(2026, 12, 10)},
        5: {"事项结果": "发现问题已责令改正", "发现问题情况": "未按要求贮存冷藏食品", "处置情况": "当场责令改正"},
        6: {"检查日期": date(2026, 11, 27), "核查方式": "实地检查", "检查结果": "通过登记的住所(经营场所)无法联系",
            "后续处置": "移送相关部门", "移送部门": "县市场监管局登记注册股", "移送日期": date(2026, 11, 28)},
    })
    result = import_sheet(db, CLERK, path)
    assert result.committed and (result.imported, result.updated, result.skipped) == (3, 0, 7), result.errors
    rows = records.list_inspections(db, task_id)
    assert [r.status for r in rows[:4]] == [S.ENTERED, S.ENTERED, S.ENTERED, S.PENDING]
    assert rows[1].result == "发现问题已责令改正" and rows[2].handling == "移送相关部门"
    detail = records.get_inspection(db, rows[1].id)
    assert detail.methods == ("实地检查", "书面检查") and detail.rectify_by == date(2026, 12, 10)
    assert detail.items[1].finding == "未按要求贮存冷藏食品" and detail.items[0].category == "未发现问题"

    with db.session() as session:
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
    again = import_sheet(db, CLERK, path)
    assert again.committed and (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    sheet.export_sheet(db, task_id, path)  # what is stored, exported again, also re-imports to nothing
    assert import_sheet(db, CLERK, path).unchanged == 3
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits

    entry.submit(db, CLERK, [rows[0].id])
    entry.approve(db, REVIEWER, [rows[0].id])
    _fill(path, {2: {"检查结果": "发现问题待后续处理", "后续处置": "立案查处"}})
    locked = import_sheet(db, CLERK, path)
    assert not locked.committed and [(i.row, i.column) for i in locked.errors] == [(2, "状态")]
    assert "审核通过" in locked.errors[0].message


def test_bad_cells_are_named_by_row_and_column_and_nothing_is_stored(exported):
    db, task_id, path = exported
    book = load_workbook(path)
    ws = book[sheet.SHEET]
    ws.cell(21, _col("统一社会信用代码/注册号"), "91410000MA00000000")  # a subject not in the task
    book.save(path)
    _fill(path, {
        2: {**CLEAN, "检查结果": "未发现问题、发现问题已责令改正"},  # 未发现问题 mixed with a problem
        4: {**CLEAN, "检查结果": "查无此类"},  # unknown category
        6: {**CLEAN, "检查日期": date(2026, 1, 5)},  # outside the task's period
        8: {**CLEAN, "检查日期": "明天"},  # not a date
        10: {**CLEAN, "后续处置": "责令改正", "检查结果": "发现问题已责令改正"},  # no 整改期限
        14: {**CLEAN},
        15: {"事项结果": "差不多"},  # unknown item result
        16: {**CLEAN},
        17: {"检查结果": "未发现问题"},  # per-inspection column on a second row
    })
    result = import_sheet(db, CLERK, path)
    assert not result.committed
    found = [(i.row, i.column) for i in result.errors]
    assert found == [(2, "检查结果"), (4, "检查结果"), (6, "检查日期"), (8, "检查日期"), (10, "整改期限"),
                     (15, "事项结果"), (17, "检查结果"), (21, "统一社会信用代码/注册号")]
    messages = {(i.row, i.column): i.message for i in result.errors}
    assert "不能与其他检查结果同时选择" in messages[(2, "检查结果")]
    assert "不在任务的检查期间" in messages[(6, "检查日期")]
    assert "第一行" in messages[(17, "检查结果")]
    assert "不在任务" in messages[(21, "统一社会信用代码/注册号")]
    assert result.to_json()["errors"][0] == {"row": 2, "column": "检查结果", "message": messages[(2, "检查结果")]}
    assert {r.status for r in records.list_inspections(db, task_id)} == {S.PENDING}  # all or nothing


def test_a_row_below_the_inspections_is_not_ignored_whichever_column_it_fills(exported):
    db, task_id, path = exported
    _fill(path, {2: CLEAN, 23: {"住所": "河口镇德润路 8 号"}})  # a column the import does not otherwise read
    result = import_sheet(db, CLERK, path)
    assert not result.committed and [(i.row, i.column) for i in result.errors] == [(23, "检查记录号")]
    assert {r.status for r in records.list_inspections(db, task_id)} == {S.PENDING}


def test_a_file_that_is_not_a_results_sheet_is_refused(exported, tmp_path):
    db, _, path = exported
    book = load_workbook(path)
    book[sheet.SHEET].delete_cols(_col("检查结果"))
    book.save(path)
    with pytest.raises(UserError, match="缺少列：检查结果"):
        import_sheet(db, CLERK, path)
    other = tmp_path / "别的.xlsx"
    book = load_workbook(path)
    book[sheet.SHEET].title = "Sheet1"
    book.save(other)
    with pytest.raises(UserError, match="检查结果"):
        import_sheet(db, CLERK, other)
