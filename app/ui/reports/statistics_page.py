"""统计分析 for leaders: a year's figures as a table by department and two bar charts
(by month; by month and 检查结果, stacked), and the same as an xlsx with native charts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from app.services.reports import statistics_export
from app.services.reports.statistics import StatRow, YearStatistics, percent, year_statistics
from app.ui.common.base_page import Page
from app.ui.context import AppContext
from app.ui.reports.bar_chart import BarChart, Series
from app.ui.tasks import BackgroundOp

COLUMNS = ("部门", "抽取", "已检查", "已公示", "完成率", "问题率", "后续处置", "完结率", "移送")
MONTHS = [str(m) for m in range(1, 13)]


def _cells(row: StatRow) -> tuple[str, ...]:
    return (row.key, str(row.drawn), str(row.inspected), str(row.published), percent(row.completion),
            percent(row.problem_rate), str(row.follow_ups), percent(row.closure), str(row.handed))


class StatisticsPage(Page):
    title = "统计分析"

    def __init__(self, context: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(context, parent)
        heading = QLabel("“双随机、一公开”年度统计")
        heading.setObjectName("pageTitle")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年")
        self.year.setValue((today or date.today()).year)
        self.year.valueChanged.connect(self.load)
        self.export_button = QPushButton("导出 Excel（含图表）…")
        self.export_button.clicked.connect(self.choose_output)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.by_month = BarChart("各月抽查情况（户）")
        self.by_category = BarChart("各月检查结果（已检查户数）", stacked=True)
        charts = QHBoxLayout()
        charts.addWidget(self.by_month)
        charts.addWidget(self.by_category)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(charts, 3)
        layout.addWidget(self.table, 2)
        self.stats: YearStatistics | None = None

    def refresh(self) -> None:
        self.load()

    def load(self) -> BackgroundOp:
        year = self.year.value()
        self.summary.setText(f"正在统计 {year} 年……")
        return BackgroundOp(self, lambda _progress: year_statistics(self.context.db, year), self.show_stats) \
            .run_in_background()

    def show_stats(self, stats: YearStatistics) -> None:
        if stats.year != self.year.value():
            return  # the year was changed while counting; its own count follows
        self.stats = stats
        t = stats.total
        self.summary.setText(
            f"{stats.year} 年共抽取 {t.drawn} 户，已检查 {t.inspected} 户，结果已公示 {t.published} 条，"
            f"完成率 {percent(t.completion)}；发现问题 {t.problems} 户，问题率 {percent(t.problem_rate)}；"
            f"后续处置 {t.follow_ups} 户，完结率 {percent(t.closure)}；移送 {t.handed} 户。"
            f"检查事项清单覆盖 {stats.covered_items}/{stats.enabled_items}（{percent(stats.coverage)}）；"
            f"超过年度抽查频次上限的检查对象 {stats.over_cap_count} 户。")
        rows = [*stats.by_department, StatRow("合计", *(getattr(t, f) for f in (
            "drawn", "inspected", "published", "problems", "follow_ups", "closed", "handed")))]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(_cells(row)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.by_month.set_data(MONTHS, [
            Series("抽取", tuple(r.drawn for r in stats.by_month)),
            Series("已检查", tuple(r.inspected for r in stats.by_month)),
            Series("结果已公示", tuple(r.published for r in stats.by_month))])
        counts = {(c.month, c.category): c.count for c in stats.category_months}
        self.by_category.set_data(MONTHS, [
            Series(r.key, tuple(counts.get((m, r.key), 0) for m in range(1, 13))) for r in stats.by_category])

    def choose_output(self) -> None:
        if self.stats is None:
            return
        suggested = Path.home() / f"双随机统计{self.stats.year}年.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出统计", str(suggested), "Excel 文件 (*.xlsx)")
        if path:
            self.export(Path(path))

    def export(self, out: Path) -> BackgroundOp | None:
        if self.stats is None:
            return None
        stats = self.stats
        done = lambda made: self.summary.setText(self.summary.text() + f"\n已导出：{made}")  # noqa: E731
        return BackgroundOp(self, lambda _p: statistics_export.write_statistics_workbook(stats, out), done) \
            .run_in_background()
