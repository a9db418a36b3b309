"""The 月报表 page as a clerk uses it: last month's wording carried over, edited and saved."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from app.services.reports import monthly
from app.ui.reports.monthly_page import MonthlyReportPage

SCJ = "青禾县市场监督管理局"


def test_a_clerk_fills_this_months_report(qtbot, demo_context):
    monthly.save_narrative(demo_context.db, demo_context.actor, SCJ, 2026, 9, meetings="9月3日召开部署会")
    page = MonthlyReportPage(demo_context, today=date(2026, 11, 5))
    qtbot.addWidget(page)
    page.refresh()
    page.department.setCurrentIndex(page.department.findText(SCJ))
    assert (page.year.value(), page.month.value()) == (2026, 10)  # the month just ended
    assert page.texts["meetings"].toPlainText() == "9月3日召开部署会" and "上月" in page.carried.text()
    assert "本月组织随机抽查的文件：本月无" in page.figures.text()

    page.texts["meetings"].setPlainText("10月9日召开双随机联席会议")
    assert page.save() and page.carried.text() == "已保存。"
    assert monthly.monthly_report(demo_context.db, SCJ, 2026, 10).narrative.meetings == "10月9日召开双随机联席会议"
    page.month.setValue(11)  # the next month starts from this wording
    assert page.texts["meetings"].toPlainText() == "10月9日召开双随机联席会议" and "上月" in page.carried.text()


def test_generating_the_report_writes_the_workbook_and_opens_its_preview(qtbot, demo_context, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("app.ui.reports.monthly_page.show_preview",
                        lambda _parent, made, preview, title: shown.append((made, preview, title)))
    page = MonthlyReportPage(demo_context, today=date(2026, 11, 5))
    qtbot.addWidget(page)
    page.refresh()
    page.department.setCurrentIndex(page.department.findText(SCJ))
    page.texts["trainings"].setPlainText("10月15日组织执法人员培训")
    assert page.make(tmp_path / "月报表.xlsx") is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    made, preview, title = shown[0]
    assert made == tmp_path / "月报表.xlsx" and title == "月报表 2026 年 10 月"
    sheet = load_workbook(made).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert SCJ in text and "10月15日组织执法人员培训" in text and "全市" not in text
    assert monthly.monthly_report(demo_context.db, SCJ, 2026, 10).narrative.trainings == "10月15日组织执法人员培训"
