"""A clerk browsing 库1 and 库2 on the sample county: filter, edit, tag, save a 专用名录."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.services.directory import subjects as subject_service
from app.services.directory.subject_query import SubjectFilter, count_subjects
from app.ui.directory.inspector_dialog import InspectorDialog, StatusPeriodDialog
from app.ui.directory.subject_dialog import SubjectDialog
from tests.ui.typing import type_text
from tests.actors import CLERK


def _subjects_page(qtbot, main_window):
    page = main_window.open_page("一单两库一细则").open_tab("检查对象名录库")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    return page


def test_filtering_by_region_shows_only_that_region_and_counts_it(qtbot, main_window, demo_context):
    page = _subjects_page(qtbot, main_window)
    page.filter_bar.region.setCurrentIndex(page.filter_bar.region.findData("河口镇"))
    expected = count_subjects(demo_context.db, SubjectFilter(regions=("河口镇",)))
    qtbot.waitUntil(lambda: page.count_label.text().startswith(f"共 {expected:,} 户"), timeout=5000)
    assert {row.region for row in page.model.loaded_rows} == {"河口镇"}


def test_search_by_name_and_scroll_loads_more(qtbot, main_window):
    page = _subjects_page(qtbot, main_window)
    assert page.model.rowCount() == 200 and page.model.canFetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == 300  # the sample has 300 subjects
    type_text(page.filter_bar.search, "超市")
    qtbot.waitUntil(lambda: page.filter.text == "超市", timeout=3000)
    assert page.model.rowCount() > 0
    assert all("超市" in row.name for row in page.model.loaded_rows)


def test_sorting_by_clicking_a_header_is_done_by_the_database(qtbot, main_window):
    page = _subjects_page(qtbot, main_window)
    page.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # 成立日期
    dates = [row.established_on for row in page.model.loaded_rows]
    assert dates == sorted(dates, reverse=True)


def test_edit_dialog_validates_as_the_clerk_types(qtbot, demo_context):
    dialog = SubjectDialog(demo_context)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    type_text(dialog.code, "91350100M000100Y44")  # wrong check character: a warning only
    type_text(dialog.name, "青禾县新开超市")
    assert save.isEnabled()
    assert "校验位" in dialog.code_message.text()
    dialog.code.clear()
    type_text(dialog.code, "123")
    assert not save.isEnabled() and "18位" in dialog.code_message.text()
    dialog.code.clear()
    type_text(dialog.code, "91350100M000100Y43")
    dialog.save()
    assert count_subjects(demo_context.db, SubjectFilter(text="91350100M000100Y43")) == 1


def test_editing_a_selected_subject(qtbot, main_window, demo_context, monkeypatch):
    page = _subjects_page(qtbot, main_window)
    page.table.selectRow(0)
    first = page.model.row_at(0)
    assert first.name in page.history.text() and "本年度已抽查 0 次" in page.history.text()

    def rename(dialog_self):
        dialog_self.name.clear()
        type_text(dialog_self.name, "青禾县城关镇改名便利店")
        dialog_self.save()
        return 1

    monkeypatch.setattr(SubjectDialog, "exec", rename)
    page.edit_selected()
    assert subject_service.get_subject(demo_context.db, first.id).name == "青禾县城关镇改名便利店"


def test_saved_special_list_reapplies_its_filter(qtbot, main_window, demo_context):
    page = _subjects_page(qtbot, main_window)
    flt = SubjectFilter(industries=("住宿和餐饮业",), risk_classes=("C",))
    subject_service.save_filter(demo_context.db, CLERK, 1, "餐饮较高风险", flt)
    page.refresh()
    index = next(i for i in range(page.saved.count()) if "餐饮较高风险" in page.saved.itemText(i))
    page.saved.setCurrentIndex(index)
    page._choose_saved(index)
    qtbot.waitUntil(lambda: page.filter == flt, timeout=3000)
    assert {(r.industry, r.risk_class) for r in page.model.loaded_rows} <= {("住宿和餐饮业", "C")}


def test_inspector_page_says_who_cannot_be_drawn_and_why(qtbot, main_window):
    page = main_window.open_page("一单两库一细则").open_tab("执法检查人员名录库")
    page.on_date.setDate(QDate(2026, 11, 23))
    qtbot.waitUntil(lambda: page.model.rowCount() == 60, timeout=3000)
    refused = [r for r in page.model.loaded_rows if not r.eligible]
    assert refused and all(page.model.columns[-1].display(r).startswith("不可抽取：") for r in refused)
    assert "可抽取" in page.summary.text()
    page.only_eligible.setChecked(True)
    assert all(r.eligible for r in page.model.loaded_rows)


def test_recording_leave_makes_an_inspector_ineligible(qtbot, main_window, demo_context):
    page = main_window.open_page("一单两库一细则").open_tab("执法检查人员名录库")
    today = date.today()
    page.on_date.setDate(QDate(today))
    page.only_eligible.setChecked(True)
    person = next(r for r in page.model.loaded_rows if r.category != "专家")
    dialog = StatusPeriodDialog(demo_context, person.id, person.name)
    qtbot.addWidget(dialog)
    type_text(dialog.note, "病假")
    dialog.save()
    page.reload()
    assert person.id not in [r.id for r in page.model.loaded_rows]


def test_inspector_dialog_requires_a_certificate_unless_expert(qtbot, demo_context):
    dialog = InspectorDialog(demo_context)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    type_text(dialog.name, "周明")
    dialog.department.setCurrentIndex(1)
    assert not save.isEnabled() and "执法证号" in dialog.message.text()
    dialog.category.setCurrentText("专家")
    assert save.isEnabled()
