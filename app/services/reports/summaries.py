"""Quarterly and annual summaries (季度、年度总结): the statistics over the period, for one
department or the whole county, with a short narrative written from the figures.

The seed's dates: the quarters' summaries are due 4月5日, 7月1日 and 10月8日, the annual one
12月20日 (it covers the year up to the day it is written). The narrative is only a first
draft: the .docx is ordinary text in the office's GB/T 9704 styles, edited in WPS before printing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx.shared import Mm
from sqlalchemy import literal

from app.db.models import Department, Task
from app.db.session import Database
from app.documents.forms_build.docx_forms import new_document, para, signature, table
from app.services.errors import UserError
from app.services.system.settings import COUNTY_NAME, department_named, get_settings
from app.services.reports.statistics import DEPARTMENT_JOIN, StatRow, categories, grouped, in_months, percent

QUARTER_DUE = {1: (4, 5), 2: (7, 1), 3: (10, 8), 4: (12, 20)}  # the 4th quarter is in the annual summary
ANNUAL_DUE = (12, 20)


@dataclass(frozen=True)
class Summary:
    year: int
    quarter: int | None  # None: the annual summary
    unit: str  # the department, or the county's name for the whole county
    county_wide: bool
    total: StatRow
    by_department: tuple[StatRow, ...]
    by_category: tuple[StatRow, ...]

    @property
    def months(self) -> tuple[int, int]:
        return (1, 12) if self.quarter is None else (3 * self.quarter - 2, 3 * self.quarter)

    @property
    def period(self) -> str:
        return f"{self.year}年" + ("" if self.quarter is None else f"第{'一二三四'[self.quarter - 1]}季度")

    @property
    def due_on(self) -> date:
        month, day = ANNUAL_DUE if self.quarter is None else QUARTER_DUE[self.quarter]
        return date(self.year, month, day)

    @property
    def title(self) -> str:
        kind = "年度" if self.quarter is None else "季度"
        return f"{self.unit}{self.period}“双随机、一公开”监管工作{kind}总结"


def summary(db: Database, year: int, quarter: int | None = None, department: str | None = None) -> Summary:
    """The figures of the period; ``department`` None: every department (the county's summary)."""
    if not 2000 <= year <= 2100:
        raise UserError(f"年份不对：{year}。")
    if quarter is not None and quarter not in QUARTER_DUE:
        raise UserError(f"季度应为 1 到 4：{quarter}。")
    first, last = (1, 12) if quarter is None else (3 * quarter - 2, 3 * quarter)
    with db.session() as session:
        where = [in_months(first, last)]
        if department is not None:
            where.append(Task.initiating_department_id == department_named(session, department).id)
        total = grouped(session, year, literal("合计"), where)
        by_department = grouped(session, year, Department.name, where, DEPARTMENT_JOIN)
        by_category = categories(session, year, where)
    county_name = get_settings(db).get(COUNTY_NAME) or "全县"
    return Summary(year, quarter, department or county_name, department is None,
                   total[0] if total else StatRow("合计"), tuple(by_department), by_category)


def narrative(s: Summary) -> list[str]:
    """The draft paragraphs, from the figures only."""
    t = s.total
    if not t.drawn:
        return [f"{s.period}，{s.unit}未开展随机抽查。"]
    who = f"全县共有 {len(s.by_department)} 个部门开展随机抽查，" if s.county_wide else ""
    lines = [f"{s.period}，{who}共抽取检查对象 {t.drawn} 户，已完成检查 {t.inspected} 户，"
             f"公示抽查检查结果 {t.published} 条，完成率 {percent(t.completion)}。"]
    if t.inspected:
        found = (f"发现问题 {t.problems} 户，问题发现率 {percent(t.problem_rate)}" if t.problems
                 else "未发现问题")
        top = [r for r in s.by_category if r.problems][:3]
        kinds = "；问题主要为" + "、".join(f"{r.key}（{r.inspected} 户）" for r in top) if top else ""
        lines.append(f"检查中{found}{kinds}。")
    if t.follow_ups:
        lines.append(f"需后续处置 {t.follow_ups} 户，已完结 {t.closed} 户，完结率 {percent(t.closure)}"
                     + (f"；移送相关部门 {t.handed} 户" if t.handed else "") + "。")
    if t.inspected < t.drawn:
        lines.append(f"尚有 {t.drawn - t.inspected} 户未完成检查，{t.drawn - t.published} 户检查结果尚未公示，"
                     "将按期完成检查并在规定时限内公示。")
    return lines


TABLE_HEAD = ["部门", "抽取", "已检查", "已公示", "完成率", "问题率", "后续处置", "完结率", "移送"]


def _cells(r: StatRow) -> list[str]:
    return [r.key, str(r.drawn), str(r.inspected), str(r.published), percent(r.completion),
            percent(r.problem_rate), str(r.follow_ups), percent(r.closure), str(r.handed)]


def write_summary_docx(s: Summary, out: str | os.PathLike, written_on: date | None = None) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".docx":
        raise UserError(f"总结是 Word 文档，输出文件应以 .docx 结尾：{path.name}")
    doc = new_document(s.title)
    para(doc, s.title, "GwTitle")
    para(doc)
    para(doc, "一、总体情况", "Heading1")
    for line in narrative(s):
        para(doc, line)
    para(doc, "二、分部门情况", "Heading1")
    t = table(doc, [40, 13, 14, 14, 16, 16, 15, 15, 13],
              [TABLE_HEAD] + [_cells(r) for r in s.by_department] + [_cells(s.total)], head=True)
    for row in t.rows:
        row.height = Mm(8)
    if s.by_category:
        para(doc, "三、检查结果分类", "Heading1")
        for r in s.by_category:
            para(doc, f"{r.key}：{r.inspected} 户。")
    signature(doc, s.unit, f"{(written_on or date.today()):%Y年%-m月%-d日}")
    try:
        doc.save(path)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{exc.strerror or exc}") from None
    return path
