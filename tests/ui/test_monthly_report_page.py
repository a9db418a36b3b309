"""The 月报表 page as a clerk uses it: last month's wording carried over, saved, the workbook made."""

from __future__ import annotations

from datetime import date

import openpyxl

from app.services.reports import monthly
from app.ui.reports import monthly_page
from app.ui.reports.monthly_page import MonthlyReportPage

SCJ = "青禾县市场监督管理局"


def test_a_clerk_fills_and_makes_this_months_report(qtbot, demo_context, tmp_path, monkeypatch):
    monthly.save_narrative(demo_context.db, demo_context.actor, SCJ, 2026, 9, meetings="9月3日召开部署会")
    page = MonthlyReportPage(demo_context, today=date(2026, 11, 5))
    qtbot.addWidget(page)
    page.resize(1366 - 200, 700)
    page.show()
    page.refresh()
    page.department.setCurrentIndex(page.department.findData((SCJ, False)))
    assert (page.year.value(), page.month.value()) == (2026, 10)  # the month just ended
    assert page.texts["meetings"].toPlainText() == "9月3日召开部署会" and "上月" in page.carried.text()
    assert "本月组织随机抽查的文件：本月无" in page.figures.text()

    page.texts["meetings"].setPlainText("10月9日召开双随机联席会议")
    shown = []
    monkeypatch.setattr(monthly_page, "show_preview", lambda parent, made, preview, title: shown.append((made, title)))
    monkeypatch.setattr(monthly_page.templates, "print_preview", lambda path, progress: None)  # LibreOffice: elsewhere
    op = page.make(tmp_path / "月报表.xlsx")
    qtbot.waitUntil(lambda: bool(shown), timeout=180_000)
    assert op is not None and shown[0][1] == "月报表 2026 年 10 月"
    ws = openpyxl.load_workbook(shown[0][0])["2026年10月"]
    assert ws["C5"].value == "10月9日召开双随机联席会议"
    assert ws["A3"].value == f"单位名称（盖章）：{SCJ}"
    assert monthly.monthly_report(demo_context.db, SCJ, 2026, 10).narrative.meetings == "10月9日召开双随机联席会议"
    page.grab().save(str(tmp_path / "page.png"))
