"""月报表 (attachment of the county's 实施方案): one department's month, computed from data.

Part 二 comes from the tasks whose draw was completed in the month (the department initiated
or joined them): their documents (任务名称 and 编号), 检查对象范围, how many subjects were
drawn out of how many eligible, the 检查事项 as 大项 (抽查类别) and 小项 (抽查事项), and the
检查结果 published that month and where. Part 一 (会议、文件、培训 and other work) is typed by
the clerk and remembered: a month with nothing saved starts from the last month's wording.
Part 5 (全县本系统) is filled for the county 双随机办 from every department's data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.db.models import (
    CheckItem, Department, Draw, InspectionTally, MonthlyNarrative, Publication, Task, task_items, task_participants,
)
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.publication import PublicationKind
from app.domain.statuses import DrawStatus
from app.services.accounts import require
from app.services.directory.subject_query import SubjectFilter
from app.services.errors import UserError
from app.services.rulebooks import templates
from app.services.system import audit
from app.services.system.settings import COUNTY_NAME, department_named, get_settings

NARRATIVE_FIELDS = ("meetings", "documents", "trainings", "other")


@dataclass(frozen=True)
class TaskLine:
    """One task's part of 二、4: its document, scope, and how many were drawn out of how many."""

    name: str
    number: str
    scope: str
    eligible: int
    drawn: int

    @property
    def ratio_text(self) -> str:
        return f"{self.drawn / self.eligible:.1%}" if self.eligible else "—"


@dataclass(frozen=True)
class Narrative:
    meetings: str = ""
    documents: str = ""
    trainings: str = ""
    other: str = ""
    carried_over: bool = False  # nothing saved for this month: last month's wording, to edit


@dataclass(frozen=True)
class CountyLine:
    """Part 5 for the county 双随机办: what every department did in the month."""

    departments: tuple[str, ...]
    subjects_drawn: int
    results_published: int


@dataclass(frozen=True)
class MonthlyReport:
    department: str
    year: int
    month: int
    tasks: tuple[TaskLine, ...]
    major_items: int  # 大项: distinct 抽查类别
    minor_items: int  # 小项: distinct 抽查事项
    results_published: int
    published_where: tuple[str, ...]
    narrative: Narrative
    county: CountyLine | None = None
    audit_head: str = ""  # SEQ:HASH when the figures were read, printed to anchor the audit log


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise UserError(f"年月不对：{year} 年 {month} 月。")
    start = datetime(year, month, 1)
    return start, datetime(year + (month == 12), month % 12 + 1, 1)


def _in_month(session: Session, year: int, month: int, department_id: int | None, *columns):
    """``columns`` of the draws completed in the month, for one department's tasks or all, in order."""
    start, end = _month_bounds(year, month)
    stmt = (select(*columns).select_from(Draw).join(Task, Task.id == Draw.task_id)
            .where(Draw.status == DrawStatus.FINISHED, Draw.finished_at >= start, Draw.finished_at < end)
            .order_by(Draw.finished_at, Task.id))
    if department_id is not None:
        joined = select(task_participants.c.task_id).where(task_participants.c.department_id == department_id)
        stmt = stmt.where(or_(Task.initiating_department_id == department_id, Task.id.in_(joined)))
    return session.execute(stmt).all()


def _drawn(session: Session, draw_ids: list[int]) -> dict[int, int]:
    """Subjects drawn (replacements not counted) per draw, from the database's tallies."""
    rows = session.execute(select(InspectionTally.draw_id, func.sum(InspectionTally.drawn))
                           .where(InspectionTally.draw_id.in_(draw_ids)).group_by(InspectionTally.draw_id))
    return {draw_id: int(n) for draw_id, n in rows}


def _eligible(draw: Draw) -> int:
    """How many subjects the draw could choose from: the lines of its committed subject list."""
    return draw.state["engine"]["files"]["subject_ids.txt"].count("\n")


def _task_line(draw: Draw, task: Task, drawn: int) -> TaskLine:
    scope = SubjectFilter.from_dict(task.scope or {}).describe()
    return TaskLine(task.name, task.number, scope or "全部检查对象", _eligible(draw), drawn)


def _items(session: Session, task_ids: list[int]) -> tuple[int, int]:
    if not task_ids:
        return 0, 0
    category = func.coalesce(func.nullif(CheckItem.category, ""), CheckItem.name)
    major, minor = session.execute(
        select(func.count(func.distinct(category)), func.count(func.distinct(CheckItem.id)))
        .select_from(task_items).join(CheckItem, CheckItem.id == task_items.c.check_item_id)
        .where(task_items.c.task_id.in_(task_ids))).one()
    return major, minor


def _published_results(session: Session, year: int, month: int, department_id: int | None) -> tuple[int, list[str]]:
    start, end = _month_bounds(year, month)
    conditions = [Publication.kind == PublicationKind.RESULT,
                  Publication.published_on >= start.date(), Publication.published_on < end.date()]
    if department_id is not None:
        conditions.append(Publication.department_id == department_id)
    count = session.scalar(select(func.count()).select_from(Publication).where(and_(*conditions)))
    where = session.scalars(select(Publication.where).where(and_(*conditions)).distinct().order_by(Publication.where))
    return count, [w for w in where if w]


def _narrative(session: Session, department_id: int, year: int, month: int) -> Narrative:
    row = session.scalar(select(MonthlyNarrative).where(
        MonthlyNarrative.department_id == department_id, MonthlyNarrative.year == year,
        MonthlyNarrative.month == month))
    if row is not None:
        return Narrative(row.meetings, row.documents, row.trainings, row.other)
    earlier = session.scalar(select(MonthlyNarrative).where(
        MonthlyNarrative.department_id == department_id,
        (MonthlyNarrative.year * 12 + MonthlyNarrative.month) < year * 12 + month)
        .order_by(MonthlyNarrative.year.desc(), MonthlyNarrative.month.desc()).limit(1))
    if earlier is None:
        return Narrative()
    return Narrative(earlier.meetings, earlier.documents, earlier.trainings, earlier.other, carried_over=True)


def monthly_report(db: Database, department: str, year: int, month: int, county: bool = False) -> MonthlyReport:
    """The figures of one department's month (``county``: also part 5 over every department)."""
    _month_bounds(year, month)
    with db.session() as session:
        dept = department_named(session, department)
        rows = _in_month(session, year, month, dept.id, Draw, Task)
        drawn = _drawn(session, [d.id for d, _ in rows])
        lines = tuple(_task_line(d, t, drawn.get(d.id, 0)) for d, t in rows)
        major, minor = _items(session, [t.id for _, t in rows])
        published, where = _published_results(session, year, month, dept.id)
        county_line = None
        if county:
            every = _in_month(session, year, month, None, Draw.id, Task.initiating_department_id)
            names = session.scalars(select(Department.name).where(Department.id.in_(
                {department_id for _, department_id in every})).order_by(Department.id))
            all_drawn = _drawn(session, [draw_id for draw_id, _ in every])
            county_line = CountyLine(tuple(names), sum(all_drawn.values()),
                                     _published_results(session, year, month, None)[0])
        return MonthlyReport(dept.name, year, month, lines, major, minor, published, tuple(where),
                             _narrative(session, dept.id, year, month), county_line, audit.head(session))


def office_department(db: Database) -> str:
    """The county 双随机办's own department name (set up in 设置 → 部门)."""
    with db.session() as session:
        name = session.scalar(select(Department.name).where(Department.is_office.is_(True)).limit(1))
    if name is None:
        raise UserError("还没有设置县双随机办（设置 → 部门中勾选“县双随机办”）。")
    return name


def save_narrative(db: Database, actor: Actor, department: str, year: int, month: int, **texts: str) -> None:
    """Keep the clerk's wording of part 一 for the month (and, by carrying over, for the next)."""
    require(actor, Role.CLERK)
    _month_bounds(year, month)
    unknown = set(texts) - set(NARRATIVE_FIELDS)
    if unknown:
        raise UserError("月报表没有这些栏目：" + "、".join(sorted(unknown)))
    with db.session() as session:
        dept = department_named(session, department)
        row = session.scalar(select(MonthlyNarrative).where(
            MonthlyNarrative.department_id == dept.id, MonthlyNarrative.year == year,
            MonthlyNarrative.month == month))
        if row is None:
            row = MonthlyNarrative(department_id=dept.id, year=year, month=month)
            session.add(row)
        before = {f: getattr(row, f) or "" for f in NARRATIVE_FIELDS}
        for name, text in texts.items():
            setattr(row, name, text.strip())
        after = {f: getattr(row, f) or "" for f in NARRATIVE_FIELDS}
        if before != after:
            audit.record(session, actor, "填写月报表", "monthly_narrative", f"{dept.name} {year}-{month:02d}",
                         {k: [before[k], after[k]] for k in NARRATIVE_FIELDS if before[k] != after[k]})


def _level(county_name: str) -> str:
    """县 / 区 / 市 / 旗 from the county's own name, for “县本级” and “全县本系统”."""
    return county_name[-1] if county_name[-1:] in ("县", "区", "市", "旗") else "县"


def report_fields(db: Database, report: MonthlyReport, filled_on: date) -> dict:
    """The template's fields for one month."""
    settings = get_settings(db)
    tasks = report.tasks
    return {
        "工作表名称": f"{report.year}年{report.month}月",
        "单位名称": report.department,
        "本级": _level(settings.get(COUNTY_NAME) or ""),
        "填表年": filled_on.year, "填表月": filled_on.month, "填表日": filled_on.day,
        "会议情况": report.narrative.meetings,
        "文件情况": report.narrative.documents,
        "培训情况": "\n".join(t for t in (report.narrative.trainings, report.narrative.other) if t),
        "抽查文件": "\n".join(f"《{t.name}》（{t.number}）" for t in tasks) or "本月无",
        "对象范围数量比例": "\n".join(
            f"{t.name}：{t.scope}；可抽取 {t.eligible} 户，抽取 {t.drawn} 户，比例 {t.ratio_text}" for t in tasks)
        or "本月无",
        "检查事项情况": f"共 {report.major_items} 大项、{report.minor_items} 小项" if tasks else "本月无",
        "公示情况": (f"公示检查结果 {report.results_published} 条"
                     + (f"，公示于：{'、'.join(report.published_where)}" if report.published_where else "")),
        "全系统情况": "" if report.county is None else (
            f"开展随机抽查的单位 {len(report.county.departments)} 个"
            + (f"（{'、'.join(report.county.departments)}）" if report.county.departments else "")
            + f"，抽查检查对象 {report.county.subjects_drawn} 户，公示抽查结果 {report.county.results_published} 条"),
        "审计日志头": report.audit_head,
    }


def write_monthly_workbook(db: Database, department: str, year: int, months: list[int], out: str | os.PathLike,
                           county: bool = False, filled_on: date | None = None) -> Path:
    """The 月报表 of the given months as one workbook, a sheet per month (the office's template)."""
    filled_on = filled_on or date.today()
    if Path(out).suffix.lower() != ".xlsx":
        raise UserError(f"月报表是 .xlsx 表格，输出文件应以 .xlsx 结尾：{Path(out).name}")
    data = [report_fields(db, monthly_report(db, department, year, m, county), filled_on) for m in months]
    store = templates.template_store()
    return templates.fill_form(lambda: store.load("monthly_report"), data, out)
