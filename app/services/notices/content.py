"""What a 检查结果告知书 says, from the stored (approved) result of an inspection.

The fields are the template's (app.documents.kinds.NOTICE). The per-item findings and the
follow-up go into 后续处置, one paragraph each, in the order a reader expects: what was found
where, then what the subject must do and by when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import CheckItem, Inspection, Setting, Task
from app.documents.fields import format_date
from app.domain.inspection import FollowUp
from app.services.system import settings as office_settings
PUBLICITY_WORKING_DAYS = 20  # PRODUCT.md §2 G: published within 20 working days
OBJECTION_WORKING_DAYS = 5


@dataclass(frozen=True)
class Letterhead:
    """What every notice of a task shares: issuer, task, 公示 platform, contact."""

    department: str
    task_name: str
    task_number: str
    platform: str
    contact: str
    phone: str


def office_settings_in(session: Session) -> dict[str, str]:
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    return {**office_settings.DEFAULTS, **{k: v for k, v in stored.items() if v}}


def letterhead(session: Session, task: Task) -> Letterhead:
    values = office_settings_in(session)
    names = [task.initiating_department.name, *(d.name for d in task.participants)]
    return Letterhead("、".join(names), task.name, task.number, values[office_settings.PUBLICITY_PLATFORM],
                      values[office_settings.NOTICE_CONTACT], values[office_settings.NOTICE_PHONE])


def follow_up_paragraphs(inspection: Inspection, item_names: dict[int, str]) -> list[str]:
    """Per-item findings, then the follow-up with its 整改期限 / receiving department."""
    paragraphs = []
    for result in inspection.results:
        if result.finding.strip():
            handling = f"处置情况：{result.handling.strip()}。" if result.handling.strip() else ""
            paragraphs.append(f"{item_names.get(result.check_item_id, '检查事项')}：发现{result.finding.strip()}"
                              f"（{result.result_category}）。{handling}")
    chosen = set(inspection.follow_ups)
    if FollowUp.RECTIFY in chosen and inspection.rectify_by:
        paragraphs.append(f"请你单位于{format_date(inspection.rectify_by)}前完成整改，"
                          "并将整改情况书面报告本机关。逾期未改正的，本机关将依法处理。")
    if FollowUp.CASE in chosen:
        paragraphs.append("对检查中发现的违法线索，本机关将依法立案查处。")
    if FollowUp.TRANSFER in chosen and inspection.handed_to:
        when = f"已于{format_date(inspection.handed_on)}" if inspection.handed_on else "已"
        paragraphs.append(f"相关问题{when}移送{inspection.handed_to}依法处理。")
    if FollowUp.COPY in chosen and inspection.copied_to:
        paragraphs.append(f"相关情况已抄告{inspection.copied_to}。")
    if FollowUp.OTHER in chosen and inspection.note.strip():
        paragraphs.append(inspection.note.strip())
    return paragraphs


def item_names_in(session: Session, inspections: list[Inspection]) -> dict[int, str]:
    ids = {r.check_item_id for i in inspections for r in i.results}
    return dict(session.execute(select(CheckItem.id, CheckItem.name).where(CheckItem.id.in_(ids))).all()) if ids else {}


def notice_fields(inspection: Inspection, head: Letterhead, item_names: dict[int, str],
                  issued_on: date) -> dict[str, Any]:
    """The notice's fields except 文号 and 核验二维码 (those come with the number)."""
    subject = inspection.subject
    items = "、".join(item_names.get(r.check_item_id, "") for r in inspection.results)
    return {
        "部门名称": head.department, "被检查单位": subject.name, "统一社会信用代码": subject.identifier,
        "住所": subject.address, "任务名称": head.task_name, "任务编号": head.task_number,
        "检查日期": format_date(inspection.inspected_on) if inspection.inspected_on else "",
        "检查事项": items, "检查方式": "、".join(inspection.methods),
        "检查结果": inspection.result_category or "、".join(inspection.categories),
        "后续处置": follow_up_paragraphs(inspection, item_names),
        "公示时限": str(PUBLICITY_WORKING_DAYS), "公示平台": head.platform,
        "异议期限": str(OBJECTION_WORKING_DAYS), "联系人": head.contact, "联系电话": head.phone,
        "成文日期": format_date(issued_on),
    }


def load_inspections(session: Session, condition) -> list[Inspection]:
    return list(session.scalars(select(Inspection).where(condition).order_by(Inspection.draw_rank)
                                .options(selectinload(Inspection.subject), selectinload(Inspection.results))))
