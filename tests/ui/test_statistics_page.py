"""统计分析 as a leader opens it: the year's table by department, the two charts, the export."""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.services.reports.statistics import year_statistics
from app.ui.reports.statistics_page import StatisticsPage
from tests.integration import statistics_data

SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "statistics-page.png"


def test_the_year_in_a_table_and_two_charts(qtbot, demo_context, tmp_path):
    year = statistics_data.year_with_results(demo_context.db, tmp_path / "包")
    want = year_statistics(demo_context.db, year)
    page = StatisticsPage(demo_context)
    qtbot.addWidget(page)
    page.resize(1366 - 200, 768 - 40 - 31 - 40)
    page.show()
    page.year.setValue(year)
    page.refresh()
    qtbot.waitUntil(lambda: page.stats is not None and page.stats.year == year, timeout=60_000)
    table = [[page.table.item(r, c).text() for c in range(page.table.columnCount())]
             for r in range(page.table.rowCount())]
    assert [row[:4] for row in table] == [
        [r.key, str(r.drawn), str(r.inspected), str(r.published)] for r in want.by_department] + [
        ["合计", str(want.total.drawn), str(want.total.inspected), str(want.total.published)]]
    assert [s.values for s in page.by_month.series] == [
        tuple(r.drawn for r in want.by_month), tuple(r.inspected for r in want.by_month),
        tuple(r.published for r in want.by_month)]
    assert [s.name for s in page.by_category.series] == [r.key for r in want.by_category]
    assert page.by_category.top_value() == max(
        sum(c.count for c in want.category_months if c.month == m) for m in range(1, 13))
    assert f"共抽取 {want.total.drawn} 户" in page.summary.text()
    for widget in (page.table, page.by_month, page.by_category, page.export_button):
        assert widget.isVisible() and widget.geometry().bottom() <= page.height()
    page.grab().save(str(SHOT))

    op = page.export(tmp_path / "统计.xlsx")
    qtbot.waitUntil(lambda: "已导出" in page.summary.text(), timeout=60_000)
    assert op is not None
    with zipfile.ZipFile(tmp_path / "统计.xlsx") as z:
        assert "xl/charts/chart1.xml" in z.namelist()
