"""The main window as a clerk sees it on the sample county."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from app.services.system import settings
from app.ui.system.about_dialog import AboutDialog
from app.ui.system.settings_dialog import SettingsDialog
from tests.actors import ADMIN
from tests.ui.typing import type_text


def test_navigation_lists_working_areas_and_status_bar_names_the_database(main_window):
    assert main_window.page_titles()[0] == "概览"
    assert "系统设置" in main_window.page_titles()
    assert "本机数据库（SQLite）" in main_window.database_label.text()
    assert "示例县" in main_window.windowTitle()


def test_overview_shows_the_county_figures(qtbot, main_window):
    page = main_window.open_page("概览")
    qtbot.waitUntil(lambda: page.figures["subjects"].value.text() == "300", timeout=5000)
    assert page.figures["inspectors"].value.text() == "60"
    assert page.figures["departments"].value.text() == "6"


def test_settings_dialog_saves_office_name_and_a_new_department(qtbot, demo_context):
    demo_context.actor = ADMIN
    dialog = SettingsDialog(demo_context)
    qtbot.addWidget(dialog)
    tab = dialog.office_tab
    tab.office_name.clear()
    type_text(tab.office_name, "青禾县卫生健康委员会")
    tab._add_department_row(None, "", "")
    row = tab.departments.rowCount() - 1
    tab.departments.item(row, 0).setText("青禾县农业农村局")
    tab.departments.item(row, 1).setText("禾农")
    dialog._save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.get_settings(demo_context.db)[settings.OFFICE_NAME] == "青禾县卫生健康委员会"
    assert "青禾县农业农村局" in [d.name for d in settings.list_departments(demo_context.db)]


def test_settings_dialog_refuses_duplicate_department_and_keeps_open(qtbot, demo_context, monkeypatch):
    demo_context.actor = ADMIN
    shown = []
    monkeypatch.setattr("app.ui.system.settings_dialog.show_error", lambda parent, exc: shown.append(str(exc)))
    dialog = SettingsDialog(demo_context)
    qtbot.addWidget(dialog)
    dialog.office_tab._add_department_row(None, "青禾县应急管理局", "")
    dialog._save()
    assert shown and "重复" in shown[0]
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_settings_page_verifies_the_audit_chain(qtbot, main_window):
    page = main_window.open_page("系统设置")
    assert page.office_name.text() == "青禾县市场监督管理局"
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "校验通过" in page.audit_state.text(), timeout=5000)


def test_about_dialog_names_version_and_database(qtbot, demo_context):
    dialog = AboutDialog(demo_context)
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel).text()
    assert "版本" in text and "SQLite" in text
