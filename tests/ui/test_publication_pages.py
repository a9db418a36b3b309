"""The 概览 page's 公示 list and the 工作日历 page, as a clerk and an administrator use them.

Screenshots go to tmp_path, or to $SSJ_SCREENSHOTS (docs/screenshots) when set.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton, QTableWidgetItem

from app.domain.publication import PublicationState
from app.paths import resources_dir
from app.services.demo import county as demo
from app.services.publication import publications
from app.ui.context import AppContext
from app.ui.publication.mark_dialog import MarkPublishedDialog
from tests.actors import CLERK, FIRST_ADMIN
from tests.ui.waiting import settle

SCREEN = (1366, 768)


@pytest.fixture
def window(qtbot, sqlite_database):
    from app.ui.main_window import MainWindow

    demo.create_demo(sqlite_database, CLERK, subjects=300, today=date.today(), with_publications=True)
    main = MainWindow(AppContext(db=sqlite_database, actor=FIRST_ADMIN, demo=True))
    main.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))  # as the program shows it
    qtbot.addWidget(main)
    main.resize(*SCREEN)
    main.show()
    return main


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr("app.ui.tasks.show_error", lambda _parent, exc, details="": said.append(str(exc)))
    return said


def test_marking_an_overdue_item_published_takes_it_off_the_red_list(qtbot, window, shots, monkeypatch):
    panel = window.open_page("概览").due
    qtbot.waitUntil(lambda: len(panel.rows(PublicationState.OVERDUE)) == 2, timeout=10_000)
    assert {i.department for i in panel.rows(PublicationState.OVERDUE)} == {"青禾县市场监督管理局", "青禾县卫生健康委员会"}
    assert len(panel.rows(PublicationState.DUE_SOON)) == 2 and len(panel.rows(PublicationState.UPCOMING)) == 2
    assert "青禾县卫生健康委员会</b>：<span style='color:#a61b1b'>已逾期 1" in panel.summary.text()
    settle()
    assert window.grab().save(str(shots / "publication-overview.png"))

    overdue = next(i for i in panel.rows(PublicationState.OVERDUE) if i.department == "青禾县卫生健康委员会")
    row = panel.items.index(overdue)
    assert panel.table.item(row, 0).text().startswith("已逾期·")

    def clerk_fills_in(dialog: MarkPublishedDialog) -> int:
        dialog.where.setCurrentText("http://wjw.qinghe.gov.cn/gsgg/")
        return 1

    monkeypatch.setattr(MarkPublishedDialog, "exec", clerk_fills_in)
    button = panel.table.cellWidget(row, 6).findChild(QPushButton)
    assert button.text() == "已公示…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(panel.rows(PublicationState.OVERDUE)) == 1, timeout=10_000)
    assert all(i.ids != overdue.ids for i in panel.rows(PublicationState.OVERDUE))
    done = next(i for i in publications.items(window.context.db, include_published=True) if i.ids == overdue.ids)
    assert done.state is PublicationState.LATE and done.where == "http://wjw.qinghe.gov.cn/gsgg/"


def test_entering_2027_and_the_calculator(qtbot, window, shots, errors):
    page = window.open_page("工作日历")
    page.year.setValue(2027)
    assert "尚未确认" in page.year_status.text()
    page.start.setDate(QDate(2026, 12, 15))
    page.days.setValue(20)
    qtbot.mouseClick(page.compute_button, Qt.MouseButton.LeftButton)
    assert "2027-01-12" in page.answer.text() and "2027 年节假日安排尚未确认" in page.answer.text()

    for column, text in enumerate(("元旦", "2027-01-01", "2027-01-3")):
        page.holidays.setItem(0, column, QTableWidgetItem(text))
    qtbot.mouseClick(page.save_year, Qt.MouseButton.LeftButton)
    assert errors == ["假期表第 1 行的结束日期“2027-01-3”不是有效日期，请写成 2027-02-06 的形式。"]
    page.holidays.setItem(0, 2, QTableWidgetItem("2027-01-03"))
    for column, text in enumerate(("春节", "2027-02-06", "2027-02-14")):
        page.holidays.setItem(1, column, QTableWidgetItem(text))
    page.makeup.setText("2027-01-31、2027-02-20")
    page.source.setText("国办发明电〔2026〕X号")
    qtbot.mouseClick(page.save_year, Qt.MouseButton.LeftButton)
    assert len(errors) == 1
    assert "本单位录入（国办发明电〔2026〕X号）" in page.year_status.text()
    qtbot.mouseClick(page.compute_button, Qt.MouseButton.LeftButton)
    assert "2027-01-13" in page.answer.text() and "尚未确认" not in page.answer.text()

    page.month.setSelectedDate(QDate(2027, 2, 13))
    page.month.setCurrentPage(2027, 2)
    assert "休息，依据：法定安排" in page.selected_text.text()
    page.work.setChecked(True)
    page.note.setText("县里统一安排值班")
    qtbot.mouseClick(page.save_day, Qt.MouseButton.LeftButton)
    assert "上班，依据：本单位更正" in page.selected_text.text()
    assert page.corrections.item(0, 2).text() == "县里统一安排值班"
    assert page.limits["检查结果"].value() == 20 and page.required["行政处罚"].isChecked()
    page.limits["检查结果"].setValue(10)  # some places publish results within 10 working days
    qtbot.mouseClick(page.save_rules_button, Qt.MouseButton.LeftButton)
    assert {i.working_days for i in publications.items(window.context.db) if i.kind == "检查结果"} == {10}
    settle()
    assert window.grab().save(str(shots / "publication-calendar.png"))
