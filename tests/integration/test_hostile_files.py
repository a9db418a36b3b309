"""The hostile-file corpus (tests/data/hostile/make_hostile.py): each file ends in a clear
Chinese message naming the sheet, row, column or cell, and a refused file changes nothing,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db.models import CheckItem, Inspector, Subject
from app.services.directory import check_items
from app.services.directory.exports import export_subjects
from app.services.directory.imports import import_inspectors, import_subjects
from app.services.errors import UserError
from tests.actors import CLERK
from tests.data.hostile.make_hostile import build



ACTOR = CLERK


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("hostile"))


def _state(db) -> dict:
    """Everything an import could change, to compare before and after."""
    with db.session() as session:
        return {
            "subjects": sorted(session.execute(select(Subject.name, Subject.credit_code, Subject.address)).all()),
            "inspectors": sorted(session.execute(select(Inspector.name)).all()),
            "items": sorted(session.execute(select(CheckItem.name, CheckItem.seq, CheckItem.legal_basis)).all()),
            "changes": session.scalar(select(func.count()).select_from(CheckItem)),
        }


def _refused(call, *words) -> str:
    with pytest.raises(UserError) as caught:
        call()
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return message


def _seeded(database) -> dict:
    """A directory that already holds one subject, as a refused import must leave it."""
    from tests.data.hostile.make_hostile import _code, write_xlsx, grid
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(Path(folder) / "seed.xlsx", {"名录": grid([["企业名称", "统一社会信用代码", "住所"],
                                                                  ["老字号商店", _code(99), "城关镇"]])})
        assert import_subjects(database, ACTOR, path).committed
    return _state(database)


def test_a_cell_at_xfd1048576_is_refused_before_it_is_read(database, corpus):
    before = _seeded(database)
    _refused(lambda: import_subjects(database, ACTOR, corpus["far_cell.xlsx"]),
             "“名录”过大", "XFD1048576", "1,048,576 行 × 16,384 列")
    assert _state(database) == before


def test_a_sheet_that_only_claims_a_huge_size_imports(database, corpus):
    result = import_subjects(database, ACTOR, corpus["claims_huge.xlsx"])
    assert (result.committed, result.imported, result.issues) == (True, 1, [])


def test_control_characters_are_refused_naming_the_row(database, corpus):
    before = _seeded(database)
    result = import_subjects(database, ACTOR, corpus["control_chars.xlsx"])
    assert not result.committed
    found = [(i.row, i.column, i.message.split("：")[0]) for i in result.errors]
    assert found == [(2, "企业名称", "含有不可见的空字符（NUL，U+0000）"),
                     (3, "企业名称", "含有不可见的控制字符（U+0001）"),
                     (4, "企业名称", "含有不可见的转义符（ESC，U+001B）"),
                     (5, "企业名称", "含有不可见的从右到左强制符（RLO，U+202E）")]
    assert _state(database) == before


def test_only_the_valid_rows_never_hands_a_control_character_to_the_database(database, corpus):
    result = import_subjects(database, ACTOR, corpus["control_chars.xlsx"], valid_only=True)
    assert (result.committed, result.imported, result.rejected) == (True, 0, 4)
    assert _state(database)["subjects"] == []


def test_line_breaks_excel_writes_are_removed_with_a_warning(database, corpus):
    result = import_subjects(database, ACTOR, corpus["line_breaks.xlsx"])
    assert result.committed
    assert [(i.row, i.column, i.message) for i in result.issues] == [
        (2, "企业名称", "含有换行符或制表符，已删除"), (2, "住所", "含有换行符或制表符，已删除")]
    assert [(name, address) for name, _, address in _state(database)["subjects"]] == [("甲商店（分店）", "城关镇人民路1号")]


def test_emoji_are_kept_and_the_directory_still_exports(database, corpus, tmp_path):
    result = import_subjects(database, ACTOR, corpus["emoji.xlsx"])
    assert (result.committed, result.imported) == (True, 2)
    out = tmp_path / "导出.xlsx"
    assert export_subjects(database, out) == 2
    again = import_subjects(database, ACTOR, out)
    assert (again.imported, again.updated, again.errors) == (0, 2, [])
    names = {name for name, _, _ in _state(database)["subjects"]}
    assert names == {"😀快乐小吃店", "👨\u200d👩\u200d👧亲子乐园"}


def test_formula_cells_are_named_and_a_missing_value_or_ref_error_refuses_the_file(database, corpus):
    before = _seeded(database)
    result = import_subjects(database, ACTOR, corpus["formula_values.xlsx"])
    assert not result.committed
    expected = [(2, "warning", "单元格 C2 是公式，已按文件中保存的计算结果“城关镇”导入"),
                (3, "error", "单元格 C3 是公式，但文件中没有保存它的计算结果"),
                (4, "error", "单元格 C4 是公式错误“#REF!”")]
    assert [(i.row, i.severity) for i in result.issues] == [(row, severity) for row, severity, _ in expected]
    for issue, (_, _, start) in zip(result.issues, expected, strict=True):
        assert issue.message.startswith(start), issue.message
    assert _state(database) == before


def test_a_50000_character_inspector_name_is_refused_on_both_databases(database, corpus):
    result = import_inspectors(database, ACTOR, corpus["inspector_long_name.xlsx"])
    assert not result.committed
    assert [(i.row, i.column, i.message) for i in result.errors] == [
        (2, "姓名", "内容过长：最多 50 个字（现有 50,000 个字）")]
    assert _state(database)["inspectors"] == []
    valid_only = import_inspectors(database, ACTOR, corpus["inspector_long_name.xlsx"], valid_only=True)
    assert (valid_only.committed, valid_only.imported, valid_only.rejected) == (True, 0, 1)


def test_a_nul_in_an_inspector_name_is_refused(database, corpus):
    result = import_inspectors(database, ACTOR, corpus["inspector_control_chars.xlsx"], valid_only=True)
    assert [(i.row, i.column) for i in result.errors] == [(2, "姓名")]
    assert "空字符（NUL" in result.errors[0].message
    assert _state(database)["inspectors"] == []


def test_data_behind_a_note_sheet_is_imported_by_naming_its_sheet(database, corpus):
    path = corpus["note_sheet_first.xlsx"]
    _refused(lambda: import_subjects(database, ACTOR, path), "工作表“说明”", "该文件的工作表有：说明、名录")
    _refused(lambda: import_subjects(database, ACTOR, path, sheet="名单"), "没有名为“名单”的工作表", "“说明”、“名录”")
    result = import_subjects(database, ACTOR, path, sheet="名录")
    assert (result.committed, result.imported) == (True, 1)


@pytest.mark.parametrize("name, row", [("encoding_switch.csv", 251), ("encoding_switch_late.csv", 49_951)])
def test_a_csv_that_changes_encoding_part_way_names_the_row(database, corpus, name, row):
    before = _seeded(database)
    _refused(lambda: import_subjects(database, ACTOR, corpus[name]), f"从第 {row} 行起换了一种文字编码")
    assert _state(database) == before


def test_an_inspector_csv_that_changes_encoding_names_the_row(database, corpus):
    _refused(lambda: import_inspectors(database, ACTOR, corpus["inspectors_encoding_switch.csv"]),
             "从第 201 行起换了一种文字编码")
    assert _state(database)["inspectors"] == []


def test_a_nul_in_a_csv_is_refused_naming_the_row(database, corpus):
    before = _seeded(database)
    result = import_subjects(database, ACTOR, corpus["nul_in_csv.csv"])
    assert [(i.row, i.column) for i in result.errors] == [(4, "企业名称")]
    assert _state(database) == before


def test_an_item_formula_without_its_value_never_blanks_a_legal_basis(database, corpus):
    check_items.import_check_items(database, ACTOR, corpus["items_base.xlsx"])
    before = _state(database)
    _refused(lambda: check_items.import_check_items(database, ACTOR, corpus["items_formula_no_value.xlsx"]),
             "2 处错误，未导入任何事项", "第 2 行「检查依据」：单元格 H2 是公式，但文件中没有保存它的计算结果",
             "第 3 行「序号」：单元格 A3 是公式")
    assert _state(database) == before
    assert ("食品经营许可情况检查", "1", "《食品安全法》第三十五条") in before["items"]


def test_an_items_saved_formula_value_is_taken_with_a_warning(database, corpus):
    result = check_items.import_check_items(database, ACTOR, corpus["items_cached_formula.xlsx"])
    assert result.imported == 2
    assert [(w.row, w.column) for w in result.warnings] == [(3, "序号")]
    assert result.warnings[0].message.startswith("单元格 A3 是公式，已按文件中保存的计算结果“2”导入")
    assert ("食品标签检查", "2", "《食品安全法》第六十七条") in _state(database)["items"]


def test_an_item_printed_twice_is_imported_once_with_a_warning(database, corpus):
    result = check_items.import_check_items(database, ACTOR, corpus["items_duplicated.xlsx"])
    assert (result.total, result.imported) == (2, 2)
    assert [w.row for w in result.warnings] == [4]
    assert result.warnings[0].message.startswith("与第 2 行是同一事项“食品经营许可情况检查”")


def test_a_ref_error_in_the_item_list_is_reported_as_such(database, corpus):
    before = _state(database)
    _refused(lambda: check_items.import_check_items(database, ACTOR, corpus["items_ref_error.xlsx"]),
             "第 3 行「抽查事项」：单元格 C3 是公式错误“#REF!”")
    assert _state(database) == before
