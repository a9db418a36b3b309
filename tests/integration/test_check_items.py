"""The real provincial lists import as published, re-import updates, and history is kept."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from app.services.directory import check_items
from app.services.errors import UserError
from tests.actors import CLERK

from tests.real_data import REAL
HAINAN_2020 = next(REAL.glob("75-*.xlsx"))
JOINT_LIST = next(REAL.glob("76-*.xls"))


def test_both_real_lists_import_with_every_item(database):
    first = check_items.import_check_items(database, CLERK, HAINAN_2020)
    joint = check_items.import_check_items(database, CLERK, JOINT_LIST)
    assert (first.list_name, first.imported, first.updated) == ("随机抽查事项清单", 293, 0)
    assert (joint.list_name, joint.imported) == ("部门联合抽查事项清单", 83)
    assert check_items.item_count(database) == 293 + 83
    items = check_items.list_items(database, text="商标代理")
    assert items and items[0].compiler == "省市场监管局"
    assert "书面检查" in items[0].methods


def test_reimport_updates_instead_of_duplicating_and_records_why(database, tmp_path):
    check_items.import_check_items(database, CLERK, HAINAN_2020)
    again = check_items.import_check_items(database, CLERK, HAINAN_2020)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 293)

    edited = tmp_path / "清单（调整）.xlsx"
    shutil.copy(HAINAN_2020, edited)
    workbook = openpyxl.load_workbook(edited)
    sheet = workbook.active
    target_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 4).value == "商标代理行为的检查")
    methods_column = next(c for c in range(1, sheet.max_column + 1)
                          if str(sheet.cell(3, c).value or sheet.cell(2, c).value or "").startswith("检查方式"))
    sheet.cell(target_row, methods_column).value = "书面检查"
    workbook.save(edited)

    result = check_items.import_check_items(database, CLERK, edited, reason="省局2021年调整")
    assert (result.imported, result.updated) == (0, 1)
    [item] = check_items.list_items(database, text="商标代理行为的检查")
    history = check_items.item_history(database, item.id)
    assert [h.action for h in history] == ["新增", "修改"]
    assert history[1].reason == "省局2021年调整"
    assert history[1].changes["检查方式"] == [["现场抽查", "书面检查"], ["书面检查"]]


def test_disable_needs_a_reason_and_is_kept_in_history(database):
    check_items.import_check_items(database, CLERK, JOINT_LIST)
    item = check_items.list_items(database)[0]
    with pytest.raises(UserError, match="原因"):
        check_items.set_enabled(database, CLERK, item.id, False, " ")
    check_items.set_enabled(database, CLERK, item.id, False, "依据省联席办通知取消")
    assert not check_items.list_items(database, text=item.name)[0].enabled
    assert check_items.item_history(database, item.id)[-1].action == "停用"
    assert len(check_items.list_items(database, enabled_only=True)) == 82


def test_export_round_trips_in_the_provincial_layout(database, tmp_path):
    check_items.import_check_items(database, CLERK, HAINAN_2020)
    out = tmp_path / "导出.xlsx"
    assert check_items.export_items(database, out, "随机抽查事项清单") == 293
    from app.tabular import read_check_item_list

    assert len(read_check_item_list(out)) == 293


def test_a_file_that_is_not_a_list_changes_nothing(database, tmp_path):
    bogus = tmp_path / "不是清单.xlsx"
    bogus.write_bytes(b"this is not a workbook")
    with pytest.raises(UserError):
        check_items.import_check_items(database, CLERK, bogus)
    assert check_items.item_count(database) == 0
