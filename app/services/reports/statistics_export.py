"""The year's statistics as an xlsx with native charts (openpyxl chart objects), and as JSON.

The charts are the workbook's own (xl/charts/chartN.xml), not pictures, so a leader opening
the file in WPS or Excel sees them drawn and can restyle them: a bar chart of subjects drawn,
inspected and published by month, and a stacked bar of inspected subjects by month and 检查结果.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from app.services.errors import UserError
from app.services.reports.statistics import StatRow, YearStatistics, percent
from app.tabular.writer import neutralise

HEADER = ("抽取对象", "已检查", "结果已公示", "完成率", "发现问题", "问题率", "后续处置", "已完结", "完结率", "移送")


def _row(label: str, row: StatRow) -> list:
    return [neutralise(label), row.drawn, row.inspected, row.published, percent(row.completion), row.problems,
            percent(row.problem_rate), row.follow_ups, row.closed, percent(row.closure), row.handed]


def _table(ws: Worksheet, first: str, rows: list[tuple[str, StatRow]], total: StatRow) -> None:
    ws.append([first, *HEADER])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for label, row in rows:
        ws.append(_row(label, row))
    ws.append(_row("合计", total))
    ws.column_dimensions["A"].width = 28
    ws.freeze_panes = "B2"


def _month_chart(ws: Worksheet, year: int) -> None:
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = f"{year}年各月抽查情况"
    chart.y_axis.title, chart.x_axis.title = "户数", "月份"
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=1, max_row=13), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=13))
    chart.width, chart.height = 24, 10
    ws.add_chart(chart, "M2")


def _category_sheet(wb: Workbook, stats: YearStatistics) -> None:
    ws = wb.create_sheet("按检查结果")
    categories = [r.key for r in stats.by_category]
    ws.append(["月份", *(neutralise(c) for c in categories)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    counts = {(c.month, c.category): c.count for c in stats.category_months}
    for month in range(1, 13):
        ws.append([f"{month}月", *(counts.get((month, c), 0) for c in categories)])
    ws.append([])
    ws.append(["检查结果", *HEADER])
    for row in stats.by_category:
        ws.append(_row(row.key, row))
    ws.column_dimensions["A"].width = 30
    if not categories:
        return
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = f"{stats.year}年各月检查结果（已检查户数）"
    chart.y_axis.title = "户数"
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(categories), min_row=1, max_row=13),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=13))
    chart.width, chart.height = 24, 12
    ws.add_chart(chart, f"A{17 + len(categories)}")


def _notes_sheet(wb: Workbook, stats: YearStatistics) -> None:
    ws = wb.create_sheet("覆盖与频次")
    ws.append(["检查事项清单覆盖（全覆盖）"])
    ws.append(["启用的检查事项", stats.enabled_items])
    ws.append(["本年度任务已覆盖", stats.covered_items])
    ws.append(["覆盖率", percent(stats.coverage)])
    ws.append([])
    ws.append([f"超过年度抽查频次上限的检查对象（{stats.cap.describe()}）", stats.over_cap_count])
    if stats.over_cap_count > len(stats.over_cap):
        ws.append([f"下表列出本年度被抽取次数最多的 {len(stats.over_cap):,} 户"])
    ws.append(["统一社会信用代码", "名称", "信用风险分类", "本年度被抽取次数"])
    for s in stats.over_cap:
        ws.append([neutralise(s.code), neutralise(s.name), s.risk_class, s.times])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 36


def write_statistics_workbook(stats: YearStatistics, out: str | os.PathLike) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"统计表是 .xlsx 表格，输出文件应以 .xlsx 结尾：{path.name}")
    wb = Workbook()
    ws = wb.active
    ws.title = "按月"
    _table(ws, "月份", [(f"{r.key}月", r) for r in stats.by_month], stats.total)
    _month_chart(ws, stats.year)
    _table(wb.create_sheet("按部门"), "部门", [(r.key, r) for r in stats.by_department], stats.total)
    _table(wb.create_sheet("按区域"), "区域", [(r.key, r) for r in stats.by_region], stats.total)
    _category_sheet(wb, stats)
    _notes_sheet(wb, stats)
    try:
        wb.save(path)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{exc.strerror or exc}") from None
    return path


def statistics_json(stats: YearStatistics) -> dict:
    """Plain figures (rates as fractions or null) for other programs."""
    def row(r: StatRow) -> dict:
        return {**asdict(r), "completion": r.completion, "problem_rate": r.problem_rate, "closure": r.closure}

    return {
        "year": stats.year, "total": row(stats.total),
        "by_month": [row(r) for r in stats.by_month], "by_department": [row(r) for r in stats.by_department],
        "by_region": [row(r) for r in stats.by_region], "by_category": [row(r) for r in stats.by_category],
        "category_months": [asdict(c) for c in stats.category_months],
        "yearly_cap": {"times": stats.cap.times, "risk_classes": list(stats.cap.risk_classes)},
        "over_cap_count": stats.over_cap_count, "over_cap": [asdict(s) for s in stats.over_cap],
        "check_items": {"enabled": stats.enabled_items, "covered": stats.covered_items, "coverage": stats.coverage},
    }
