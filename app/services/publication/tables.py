"""The publication tables of a task: the drawn list (名单) and the results (结果), as xlsx in
the publicity system's import layout and as a .docx for the department's website.

The layouts are templates in forms/ (抽取名单公示表.xlsx, 抽查结果公示导入表.xlsx,
随机抽查信息公示.docx), so a province with other columns edits them without code. Every
text cell goes through ``app.tabular.writer.neutralise`` in the renderer.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (CheckItem, Department, Draw, Inspection, Inspector, ItemResult, Plan, Task,
                           Team, TeamMember)
from app.db.session import Database
from app.services.errors import UserError
from app.services.publication.sources import FINISHED_DRAW, PENDING, REPLACED, REVIEWED

if TYPE_CHECKING:
    from app.documents import TemplateStore

LIST, RESULTS = "名单", "结果"
DOCUMENT_KINDS = {LIST: "list_publication", RESULTS: "result_import"}
INSPECTION_TYPE = "抽查"


@dataclass(frozen=True)
class _TaskFacts:
    task: Task
    plan: Plan
    department: str
    draw: Draw
    inspections: list[Inspection]

    def columns(self) -> dict[str, Any]:
        return {
            "抽查计划编号": f"{self.plan.year}-{self.plan.id:03d}",
            "抽查计划名称": self.plan.name,
            "抽查任务编号": self.task.number,
            "抽查任务名称": self.task.name,
            "抽查类型": "部门联合抽查" if self.task.participants else "本部门抽查",
            "抽查机关": self.department,
        }


def _facts(session: Session, task_id: int) -> _TaskFacts:
    task = session.get(Task, task_id)
    if task is None:
        raise UserError(f"抽查任务 {task_id} 不存在。")
    draw = session.scalar(select(Draw).where(Draw.task_id == task_id, Draw.status == FINISHED_DRAW))
    if draw is None:
        raise UserError(f"任务“{task.name}”尚未完成抽取，还没有可公示的名单或结果。")
    inspections = list(session.scalars(
        select(Inspection).where(Inspection.draw_id == draw.id, Inspection.status != REPLACED)
        .order_by(Inspection.draw_rank)))
    department = session.get(Department, task.initiating_department_id).name
    return _TaskFacts(task, task.plan, department, draw, inspections)


def _teams(session: Session, draw_id: int) -> dict[int, tuple[int, str]]:
    """{team id: (组号, "张三（组长）、李四")}, members in the order they were drawn."""
    rows = session.execute(
        select(Team.id, Team.number, Team.leader_id, Inspector.id, Inspector.name)
        .join(TeamMember, TeamMember.team_id == Team.id).join(Inspector, Inspector.id == TeamMember.inspector_id)
        .where(Team.draw_id == draw_id, TeamMember.replaced_reason == "").order_by(Team.number, TeamMember.id))
    names: dict[int, list[str]] = defaultdict(list)
    numbers = {}
    for team_id, number, leader, person_id, name in rows:
        numbers[team_id] = number
        names[team_id].append(f"{name}（组长）" if person_id == leader else name)
    return {team_id: (numbers[team_id], "、".join(people)) for team_id, people in names.items()}


def list_rows(session: Session, task_id: int) -> tuple[_TaskFacts, list[dict[str, Any]]]:
    facts = _facts(session, task_id)
    if facts.task.surprise and any(i.status == PENDING for i in facts.inspections):
        raise UserError(f"“{facts.task.name}”是突击检查任务：抽取名单须在检查全部完成后再公示，"
                        "以免检查对象事先知道。")
    teams = _teams(session, facts.draw.id)
    rows = []
    for number, inspection in enumerate(facts.inspections, 1):
        subject = inspection.subject
        team = teams.get(inspection.team_id, ("", ""))
        rows.append({"序号": number, **facts.columns(), "检查对象名称": subject.name,
                     "统一社会信用代码": subject.credit_code or subject.registration_no or "",
                     "住所": subject.address, "检查组": team[0], "检查人员": team[1]})
    return facts, rows


def result_rows(session: Session, task_id: int) -> tuple[_TaskFacts, list[dict[str, Any]]]:
    facts = _facts(session, task_id)
    done = [i for i in facts.inspections if i.status in REVIEWED and i.inspected_on]
    if not done:
        raise UserError(f"任务“{facts.task.name}”还没有已检查的结果可以公示。")
    finished = max(i.inspected_on for i in done) if len(done) == len(facts.inspections) else None
    item_names = dict(session.execute(select(CheckItem.id, CheckItem.name)
                                      .where(CheckItem.id.in_([item.id for item in facts.task.items]))).all())
    rows = []
    for inspection in done:
        subject = inspection.subject
        per_subject = {
            **facts.columns(), "抽查完成日期": finished or "",
            "检查对象名称": subject.name, "统一社会信用代码": subject.credit_code or subject.registration_no or "",
            "检查实施机关": facts.department, "类型": INSPECTION_TYPE, "日期": inspection.inspected_on,
            "结果": inspection.result_category,
        }
        results: list[ItemResult] = inspection.results or []
        pairs = [(item_names.get(r.check_item_id, ""), r.result_category or inspection.result_category)
                 for r in results] or [(name, inspection.result_category) for name in item_names.values()]
        for item, outcome in pairs:
            rows.append({"序号": len(rows) + 1, **per_subject, "检查事项": item, "检查事项结果": outcome})
    return facts, rows


def _check_kind(kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise UserError(f"公示表种类应为“{LIST}”或“{RESULTS}”，收到“{kind}”。")


def export_table(db: Database, task_id: int, kind: str, out: str | os.PathLike,
                 store: TemplateStore | None = None) -> int:
    """Write the task's 名单 or 结果 table (xlsx, import layout); returns the number of rows."""
    _check_kind(kind)
    with db.session() as session:
        facts, rows = (list_rows if kind == LIST else result_rows)(session, task_id)
        department, sheet = facts.department, facts.task.number or facts.task.name
    field = "名单" if kind == LIST else "结果"
    from app.services.rulebooks import templates  # the document engine: loaded to export, not with 概览

    templates.render(DOCUMENT_KINDS[kind], [{"部门名称": department, "工作表名称": sheet, field: rows}], out, store=store)
    return len(rows)


def export_website(db: Database, task_id: int, kind: str, out: str | os.PathLike, on: date | None = None,
                   store: TemplateStore | None = None) -> Path:
    """The same table as an official-layout .docx for the department's website."""
    _check_kind(kind)
    with db.session() as session:
        facts, rows = (list_rows if kind == LIST else result_rows)(session, task_id)
        department, task = facts.department, facts.task
        items = "、".join(item.name for item in task.items)
    if kind == LIST:
        title = f"{task.name}抽取名单公示"
        intro = [(f"根据“双随机、一公开”监管工作要求，现将{task.number or ''}“{task.name}”随机抽取的检查对象"
                  "和执法检查人员名单公示如下：")]
        lines = [{"序号": r["序号"], "检查对象名称": r["检查对象名称"], "统一社会信用代码": r["统一社会信用代码"],
                  "检查事项": items, "末列": r["检查人员"]} for r in rows]
    else:
        title = f"{task.name}抽查结果公示"
        intro = [(f"根据“双随机、一公开”监管工作要求，现将{task.number or ''}“{task.name}”的抽查检查结果公示如下。"
                  "如对公示内容有异议，可向本机关书面提出。")]
        lines = [{"序号": r["序号"], "检查对象名称": r["检查对象名称"], "统一社会信用代码": r["统一社会信用代码"],
                  "检查事项": r["检查事项"], "末列": r["检查事项结果"]} for r in rows]
    data = {"部门名称": department, "标题": title, "说明": intro,
            "末列标题": "检查人员" if kind == LIST else "检查结果", "行": lines,
            "成文日期": on or date.today()}
    from app.services.rulebooks import templates

    templates.render("website_publication", [data], out, store=store)
    return Path(out)
