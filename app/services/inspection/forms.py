"""The batch 随机抽查检查表: one combined .docx for a task (or chosen inspections), each form pre-filled.

Each form carries a QR code naming its inspection, so typing or scanning it on the results page
opens that inspection. Joint tasks list every department's items on one form (进一次门、查多项事).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Department, Inspection, Inspector, Task, Team
from app.db.session import Database
from app.documents import load_form
from app.domain.eligibility import ENFORCEMENT_CERTIFICATE
from app.domain.inspection import InspectionStatus, qr_payload
from app.services.errors import UserError
from app.services.inspection.records import check_points
from app.services.progress import NO_PROGRESS, Progress
from app.services.rulebooks.templates import fill_form, template_store

KIND = "check_form"


def _team_people(session: Session, team_ids: set[int]) -> dict[int, tuple[str, list[dict[str, str]]]]:
    teams = session.scalars(select(Team).where(Team.id.in_(team_ids)).options(selectinload(Team.members))).all()
    ids = {m.inspector_id for t in teams for m in t.members}
    people = {p.id: p for p in session.scalars(select(Inspector).where(Inspector.id.in_(ids))
                                               .options(selectinload(Inspector.certificates)))}

    def card(person: Inspector) -> dict[str, str]:
        cert = next((c.number for c in person.certificates if c.kind == ENFORCEMENT_CERTIFICATE), "")
        return {"姓名": person.name, "执法证号": cert or "（专家）"}

    return {t.id: (people[t.leader_id].name if t.leader_id in people else "",
                   [card(people[m.inspector_id]) for m in t.members]) for t in teams}


def _items(session: Session, task: Task) -> list[dict[str, Any]]:
    items = sorted(task.items, key=lambda i: (i.department_id or 0, i.compiler, i.id))
    points = check_points(session, items)
    departments = dict(session.execute(select(Department.id, Department.name)).all())
    return [{"序号": n, "检查事项": item.name,
             "部门": (departments.get(item.department_id) or item.compiler) if task.joint else "",
             "检查要点": list(points.get(item.id, ())), "发现问题情况": "", "处置情况": ""}
            for n, item in enumerate(items, 1)]


def check_table_data(db: Database, task_id: int, inspection_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The forms' contents, in the draw's order: every live inspection of the task, or the chosen ones."""
    with db.session() as session:
        task = session.get(Task, task_id, options=[selectinload(Task.items), selectinload(Task.participants)])
        if task is None:
            raise UserError(f"没有编号为 {task_id} 的任务。")
        condition = (Inspection.task_id == task_id) & (Inspection.status != InspectionStatus.REPLACED)
        if inspection_ids is not None:
            condition &= Inspection.id.in_(inspection_ids)
        inspections = session.scalars(select(Inspection).where(condition).order_by(Inspection.draw_rank)
                                      .options(selectinload(Inspection.subject))).all()
        if not inspections:
            raise UserError("该任务还没有抽取结果（或所选检查记录已被替换），没有检查表可打印。")
        initiator = session.get(Department, task.initiating_department_id)
        department = "、".join([initiator.name, *(d.name for d in task.participants)])
        items = _items(session, task)
        teams = _team_people(session, {i.team_id for i in inspections if i.team_id})
        forms = []
        for inspection in inspections:
            subject = inspection.subject
            leader, people = teams.get(inspection.team_id, ("", []))
            code = subject.identifier
            forms.append({
                "部门名称": department, "任务名称": task.name, "任务编号": task.number,
                "被检查单位": subject.name, "统一社会信用代码": code, "住所": subject.address,
                "法定代表人": subject.legal_representative, "联系电话": subject.phone,
                "检查日期": "　　年　　月　　日", "核查方式": [], "检查事项": items, "检查结果": "",
                "检查人员": people, "组长": leader,
                "检查表二维码": qr_payload(inspection.id, code), "二维码文字": qr_payload(inspection.id, code),
            })
        return forms


def print_check_tables(db: Database, task_id: int, out: str | os.PathLike, inspection_ids: list[int] | None = None,
                       progress: Progress = NO_PROGRESS) -> int:
    """Write the combined .docx (one section per form, pages numbered per form); returns the number of forms."""
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"检查表输出为 .docx 文件，请把文件名改为以 .docx 结尾：{out.name}")
    progress.step(0, 0, "正在准备检查表数据…")
    data = check_table_data(db, task_id, inspection_ids)
    store = template_store()
    fill_form(lambda: load_form(KIND, store.path_for(KIND)), data, out, progress)
    return len(data)
