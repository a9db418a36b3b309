"""A new office walks the 建库向导 from start to end; it resumes; steps reopen from the 工作细则 tab.

Screenshots of every page go to tmp_path, or to $SSJ_SCREENSHOTS (docs/screenshots) when set.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLineEdit, QMessageBox

from app.documents import DOCUMENT_KINDS
from app.services.rulebooks import templates
from app.services.rulebooks import versions as rulebooks
from app.services.system import settings, setup
from app.services.directory.subject_query import SubjectFilter, count_subjects
from app.tabular import SUBJECT
from app.ui.common import print_preview as print_preview_dialog
from app.ui.directory.import_dialog import ImportDialog
from app.ui.rulebooks.rulebook_page import RulebookPage
from app.ui.system.settings_page import TemplatesGroup
from app.ui.tasks import BackgroundOp
from app.ui.system.setup_wizard import INSPECTORS, ITEMS, OFFICE, RULEBOOK, SUBJECTS, SUMMARY, SetupWizard

from .typing import type_text
from tests.ui.waiting import settle

DEPT = "青禾县市场监督管理局"
NAMES = {OFFICE: "office", ITEMS: "items", SUBJECTS: "subjects", INSPECTORS: "inspectors",
         RULEBOOK: "rulebook", SUMMARY: "summary"}


def grab(widget, folder: Path, name: str) -> None:
    settle()
    assert widget.grab().save(str(folder / f"wizard-{name}.png"))


@pytest.fixture
def subjects_file(tmp_path) -> Path:
    path = tmp_path / "市场主体名录.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["市场主体名称", "统一社会信用代码", "所属乡镇", "风险等级"])
    book.active.append(["青禾县新华书店有限公司", "91350100M000100Y43", "城关镇", "低风险"])
    book.active.append(["青禾县老街茶馆", "92350100MA2XN6WJ1B", "河口镇", "较高风险"])
    book.save(path)
    return path


@pytest.fixture
def inspectors_file(tmp_path) -> Path:
    path = tmp_path / "执法人员名录.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "性别", "所在单位", "科室", "人员类别", "执法证号", "有效期至", "是否可任组长"])
    for number, name in enumerate(("李强", "王敏", "张伟"), start=1):
        book.active.append([name, "男", DEPT, "城关所", "公务员", f"419900000{number}", "2099-12-31", "是"])
    book.save(path)
    return path


@pytest.fixture
def no_modal_dialogs(monkeypatch, subjects_file, inspectors_file, qtbot):
    """ImportDialog.exec drives the dialog as a clerk would; message boxes are recorded."""
    messages: list[str] = []

    def drive(dialog: ImportDialog) -> int:
        dialog.load_file(subjects_file if dialog.kind == SUBJECT else inspectors_file)
        dialog.start_import()
        qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)
        assert dialog.result.committed, dialog.result_label.text()
        return 1

    monkeypatch.setattr(ImportDialog, "exec", drive)
    monkeypatch.setattr("app.ui.system.setup_wizard.show_error",
                        lambda parent, exc, details="": messages.append(str(exc)))
    monkeypatch.setattr("app.ui.rulebooks.rulebook_editor.show_error",
                        lambda parent, exc, details="": messages.append(str(exc)))
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: messages.append(str(a[2] if len(a) > 2 else "")))
    return messages


def test_wizard_from_start_to_end_on_a_fresh_database(qtbot, context, no_modal_dialogs, shots):
    db = context.db
    wizard = SetupWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == OFFICE

    # 1 单位与部门: a missing 简称 keeps the clerk on the page, with a message
    page = wizard.currentPage()
    type_text(page.office_name, DEPT)
    type_text(page.county_name, "青禾县")
    qtbot.mouseClick(_button(page, "添加部门"), Qt.MouseButton.LeftButton)
    editor = page.departments.findChild(QLineEdit)  # the cell editor 添加部门 opened
    type_text(editor, DEPT)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits the name
    grab(wizard, shots, "1-office")
    wizard.next()
    assert wizard.currentId() == OFFICE and "文号简称" in no_modal_dialogs[-1]
    assert page.departments.item(0, 0).text() == DEPT
    page.departments.item(0, 1).setText("禾市监")
    page.add_department("青禾县“双随机、一公开”监管工作联席会议办公室", "禾双随机办")
    wizard.next()
    assert wizard.currentId() == ITEMS
    assert settings.get_settings(db)[settings.OFFICE_NAME] == DEPT
    assert [d.short_name for d in settings.list_departments(db)] == ["禾市监", "禾双随机办"]
    assert setup.last_finished_step(db) == OFFICE

    # 2 事项清单: the bundled provincial lists
    page = wizard.currentPage()
    assert page.bundled.isChecked()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "新增" in page.result.text(), timeout=60_000)
    assert "启用 <b>0</b>" not in page.state.text() and "共 293 项" in page.result.text()
    grab(wizard, shots, "2-items")
    wizard.next()

    # 3 检查对象 and 4 执法人员 through the import dialog
    page = wizard.currentPage()
    assert wizard.currentId() == SUBJECTS and "空的" in page.state.text()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert count_subjects(db, SubjectFilter()) == 2 and "<b>2</b>" in page.state.text()
    grab(wizard, shots, "3-subjects")
    wizard.next()
    page = wizard.currentPage()
    assert wizard.currentId() == INSPECTORS
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert "今天可参加抽取 <b>3</b> 人" in page.state.text()
    grab(wizard, shots, "4-inspectors")
    wizard.next()

    # 5 工作细则与工作指引: edit a section, generate the guides, 下一步 saves version 1
    page = wizard.currentPage()
    assert wizard.currentId() == RULEBOOK
    assert page.editor.department.currentText() == DEPT  # the 双随机办 has no rulebook
    assert "尚未保存" in page.editor.version.text()
    page.editor.sections.setCurrentRow(len(rulebooks.SECTION_NAMES) - 1)
    closing = page.editor.texts["附则"]
    closing.moveCursor(closing.textCursor().MoveOperation.End)
    qtbot.keyClick(closing, Qt.Key.Key_Return)
    type_text(closing, "本细则自2027年1月1日起施行。")
    qtbot.mouseClick(page.guide_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.generating, timeout=30_000)
    items = rulebooks.department_items(db, page.editor.department_id())
    assert f"已有工作指引 <b>{len(items)}</b> 项" in page.guides.text()
    page.editor.sections.setCurrentRow(rulebooks.SECTION_NAMES.index("公示程序"))
    grab(wizard, shots, "5-rulebook")
    wizard.next()
    draft = rulebooks.get_rulebook(db, page.editor.department_id())
    assert draft.version == 1 and draft.sections["附则"][-1] == "本细则自2027年1月1日起施行。"

    # 6 小结: everything is in place
    page = wizard.currentPage()
    assert wizard.currentId() == SUMMARY
    assert "已齐备" in page.headline.text() and page.gaps.count() == 0, [g.what for g in page.found]
    grab(wizard, shots, "6-summary")
    qtbot.mouseClick(wizard.button(wizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert setup.last_finished_step(db) == SUMMARY
    assert not wizard.isVisible()
    assert not [m for m in no_modal_dialogs if "失败" in m]


def _button(widget, text: str):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def test_left_half_way_it_resumes_and_the_summary_says_what_is_missing(qtbot, context, no_modal_dialogs, shots):
    wizard = SetupWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.currentPage()
    type_text(page.office_name, DEPT)
    page.add_department(DEPT, "禾市监")
    wizard.next()
    wizard.reject()  # 稍后继续
    assert setup.resume_step(context.db) == ITEMS

    again = SetupWizard(context)
    qtbot.addWidget(again)
    again.show()
    assert again.currentId() == ITEMS
    for _ in range(4):  # skip the rest
        again.next()
    summary = again.currentPage()
    assert again.currentId() == SUMMARY
    found = "\n".join(summary.gaps.item(i).text() for i in range(summary.gaps.count()))
    assert "没有启用的随机抽查事项" in found and "检查对象名录库是空的" in found
    assert "执法检查人员不足 2 人" in found
    grab(again, shots, "6-summary-missing")
    # double-clicking a gap goes back to its step
    subjects_gap = next(summary.gaps.item(i) for i in range(summary.gaps.count())
                        if "检查对象" in summary.gaps.item(i).text())
    summary.go_to_gap(subjects_gap)
    assert again.currentId() == SUBJECTS


def test_every_step_reopens_from_the_rulebook_tab(qtbot, demo_context, monkeypatch):
    opened = []
    monkeypatch.setattr(SetupWizard, "exec", lambda self: opened.append(self.startId()) or 0)
    page = RulebookPage(demo_context)
    qtbot.addWidget(page)
    page.refresh()
    assert page.department.currentText() == DEPT
    assert "尚未保存" in page.version.text() and page.guides.rowCount() > 50
    actions = [a for a in page.wizard_button.menu().actions() if a.text().startswith("第")]
    assert [a.text() for a in actions][0] == "第 1 步：单位与部门" and len(actions) == 6
    actions[RULEBOOK].trigger()
    actions[SUBJECTS].trigger()
    assert opened == [RULEBOOK, SUBJECTS]

    monkeypatch.setattr("app.ui.rulebooks.rulebook_page.QMessageBox.information", lambda *a: None)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.guides.item(0, 3).text() == "第 1 版", timeout=30_000)


def test_templates_group_edit_restore_and_preview(qtbot, context, monkeypatch, tmp_path):
    opened: list[Path] = []
    monkeypatch.setattr("app.ui.system.settings_page.open_in_system", lambda parent, path: opened.append(path))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    group = TemplatesGroup(context)
    qtbot.addWidget(group)
    group.refresh()
    assert group.table.rowCount() == len(DOCUMENT_KINDS) == 11 and group.table.item(0, 2).text() == "默认"
    group.table.selectRow(4)  # 检查结果告知书
    group.edit_template()
    assert opened and opened[0].parent == templates.user_forms_dir() and opened[0].name == "检查结果告知书.docx"
    assert group.table.item(4, 2).text() == "已修改"
    assert (templates.user_forms_dir() / "模板字段说明.txt").is_file()
    group.restore_default()
    assert group.table.item(4, 2).text() == "默认"
    assert list(templates.user_forms_dir().glob("检查结果告知书.docx.*.bak"))


def test_print_preview_dialog_shows_pages_or_opens_the_document(qtbot, monkeypatch, tmp_path):
    pages = []
    for number in (1, 2):
        image = QImage(420, 594, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        pages.append(tmp_path / f"page-{number}.png")
        image.save(str(pages[-1]))
    preview = templates.Preview(tmp_path / "a.docx", tmp_path / "a.pdf", pages)
    dialog = print_preview_dialog.PrintPreviewDialog(preview, "样例")
    qtbot.addWidget(dialog)
    assert len(dialog.page_labels) == 2 and dialog.page_labels[0].pixmap().width() == 420

    opened = []
    monkeypatch.setattr(print_preview_dialog, "open_in_system", lambda parent, path: opened.append(path))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    print_preview_dialog.show_preview(None, tmp_path / "a.docx", None)  # no LibreOffice
    print_preview_dialog.show_preview(None, tmp_path / "a.docx", templates.Preview(tmp_path / "a.docx",
                                                                                   tmp_path / "a.pdf", []))
    assert opened == [tmp_path / "a.docx", tmp_path / "a.pdf"]


def test_rulebook_and_guide_dialogs_save_new_versions(qtbot, demo_context, monkeypatch):
    from app.ui.rulebooks.rulebook_editor import GuideDialog, RulebookDialog

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    page = RulebookPage(demo_context)
    qtbot.addWidget(page)
    page.refresh()
    dialog = RulebookDialog(demo_context, page.department_id())
    qtbot.addWidget(dialog)
    editor = dialog.editor
    type_text(editor.doc_number, "禾市监发〔2026〕8号")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_version == 1 and "现行第 1 版" in editor.version.text()

    # switching department with unsaved text asks, and saves when told to
    editor.texts["附则"].setPlainText("本细则自2027年1月1日起施行。")
    editor.department.setCurrentIndex(1)
    assert asked and "尚未保存" in asked[0]
    saved = rulebooks.get_rulebook(demo_context.db, page.department_id())
    assert saved.version == 2 and saved.sections["附则"] == ["本细则自2027年1月1日起施行。"]
    assert editor.department_id() != page.department_id() and "尚未保存" in editor.version.text()

    guide = GuideDialog(demo_context, page.guide_ids[0])
    qtbot.addWidget(guide)
    guide.texts["check_points"].setPlainText("亮照经营情况。\n\n经营范围与登记一致。")
    guide._save()
    assert guide.result() == guide.DialogCode.Accepted
    assert rulebooks.get_guide(demo_context.db, page.guide_ids[0]).check_points == [
        "亮照经营情况。", "经营范围与登记一致。"]


def test_an_empty_database_is_offered_the_wizard(qtbot, context, monkeypatch):
    from app.ui.app import _offer_setup_wizard
    from app.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    questions, started = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: questions.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(SetupWizard, "exec", lambda self: started.append(self.startId()) or 0)
    _offer_setup_wizard(context, window)
    assert "新的数据库" in questions[-1] and started == [OFFICE]
    setup.finish_step(context.db, context.actor, ITEMS)
    _offer_setup_wizard(context, window)
    assert "检查对象" in questions[-1] and started[-1] == SUBJECTS
    setup.finish_step(context.db, context.actor, SUMMARY)
    _offer_setup_wizard(context, window)
    assert len(started) == 2  # finished: not offered again
    qtbot.waitUntil(lambda: not BackgroundOp._running, timeout=10_000)  # the 概览 page's figures
