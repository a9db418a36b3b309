"""A clerk imports a directory and the provincial list through the GUI, then browses them."""

from __future__ import annotations


import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from app.services.directory import check_items
from app.services.directory.subject_query import SubjectFilter, count_subjects
from app.tabular import SUBJECT
from app.ui.directory.import_dialog import NOT_IMPORTED, ImportDialog

from tests.real_data import REAL


@pytest.fixture
def other_system_file(tmp_path):
    """A directory as another system exports it: a title row and its own header words."""
    path = tmp_path / "市场主体名录.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某某县市场主体名录"])
    sheet.append(["市场主体名称", "社会信用代码", "所属乡镇", "风险等级", "备注"])
    sheet.append(["青禾县新华书店有限公司", "91350100M000100Y43", "城关镇", "低风险", "无"])
    sheet.append(["青禾县老街茶馆", "92350100MA2XN6WJ1B", "河口镇", "较高风险", ""])
    sheet.append(["", "91350100M000100Y43", "城关镇", "A", ""])
    book.save(path)
    return path


def test_import_dialog_guesses_columns_previews_and_imports_all_or_nothing(qtbot, context, other_system_file):
    dialog = ImportDialog(context, SUBJECT)
    qtbot.addWidget(dialog)
    dialog.load_file(other_system_file)
    assert dialog.combos["name"].currentText() == "市场主体名称"
    assert dialog.combos["credit_code"].currentText() == "社会信用代码"
    assert dialog.combos["region"].currentText() == "所属乡镇"
    assert dialog.combos["phone"].currentText() == NOT_IMPORTED
    assert dialog.preview.rowCount() == 3
    assert "错误 2 处" in dialog.preview_note.text()  # missing name; duplicated code

    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert not dialog.result.committed and "未导入任何数据" in dialog.result_label.text()
    assert count_subjects(context.db, SubjectFilter()) == 0

    dialog.valid_only.setChecked(True)
    dialog.result = None
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.result.committed and dialog.result.imported == 2
    assert count_subjects(context.db, SubjectFilter(risk_classes=("C",))) == 1


def test_changing_a_column_mapping_changes_the_preview(qtbot, context, other_system_file):
    dialog = ImportDialog(context, SUBJECT)
    qtbot.addWidget(dialog)
    dialog.load_file(other_system_file)
    dialog.combos["region"].setCurrentText("备注")
    assert dialog.mapping().columns["region"] == "备注"
    header = [dialog.preview.horizontalHeaderItem(i).text() for i in range(dialog.preview.columnCount())]
    assert "所属区域" in header
    assert dialog.preview.item(0, header.index("所属区域")).text() == "无"


def test_a_broken_file_is_refused_with_a_chinese_message(qtbot, context, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("app.ui.directory.import_dialog.show_error", lambda parent, exc: shown.append(str(exc)))
    broken = tmp_path / "名录.xlsx"
    broken.write_text("这不是表格", encoding="utf-8")
    dialog = ImportDialog(context, SUBJECT)
    qtbot.addWidget(dialog)
    dialog.load_file(broken)
    assert shown and "工作簿" in shown[0]
    assert not dialog.import_button.isEnabled()


def test_items_page_lists_the_real_lists_and_disables_with_a_reason(qtbot, main_window, demo_context, monkeypatch):
    page = main_window.open_page("一单两库一细则").open_tab("随机抽查事项清单")
    assert page.model.rowCount() == 293 + 83
    page.list_choice.setCurrentIndex(page.list_choice.findData("部门联合抽查事项清单"))
    assert page.model.rowCount() == 83
    page.table.selectRow(0)
    assert "调整记录" in page.detail.toHtml()
    monkeypatch.setattr("app.ui.directory.check_items_page.QInputDialog.getText",
                        lambda *a, **k: ("依据省联席办通知暂停", True))
    page.toggle(False)
    assert "停用 1 项" in page.summary.text()
    history = check_items.item_history(demo_context.db, page.model.row_at(0).id)
    assert history[-1].reason == "依据省联席办通知暂停"


def test_items_page_imports_a_list_file(qtbot, context, monkeypatch):
    from app.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    page = window.open_page("一单两库一细则").open_tab("随机抽查事项清单")
    assert page.model.rowCount() == 0
    xls = next(REAL.glob("76-*.xls"))
    monkeypatch.setattr("app.ui.directory.check_items_page.QFileDialog.getOpenFileName", lambda *a, **k: (str(xls), ""))
    monkeypatch.setattr("app.ui.directory.check_items_page.QInputDialog.getText", lambda *a, **k: ("", True))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.import_list()
    qtbot.waitUntil(lambda: page.model.rowCount() == 83, timeout=10_000)


def test_data_behind_a_note_sheet_is_previewed_after_choosing_its_sheet(qtbot, context, tmp_path):
    from tests.data.hostile.make_hostile import build

    corpus = build(tmp_path)
    dialog = ImportDialog(context, SUBJECT)
    qtbot.addWidget(dialog)
    dialog.load_file(corpus["note_sheet_first.xlsx"])
    assert "工作表“说明”" in dialog.preview_note.text()
    assert not dialog.import_button.isEnabled()
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == ["说明", "名录"]
    dialog.sheet_combo.setCurrentText("名录")
    dialog.sheet_combo.activated.emit(1)
    assert dialog.import_button.isEnabled()
    assert "甲商店" in [dialog.preview.item(0, c).text() for c in range(dialog.preview.columnCount())]
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)
    assert dialog.result.committed and dialog.result.imported == 1


def test_the_xfd1048576_workbook_is_refused_in_the_preview(qtbot, context, tmp_path):
    from tests.data.hostile.make_hostile import build

    dialog = ImportDialog(context, SUBJECT)
    qtbot.addWidget(dialog)
    dialog.load_file(build(tmp_path)["far_cell.xlsx"])
    assert "XFD1048576" in dialog.preview_note.text()
    assert not dialog.import_button.isEnabled()
