"""建库向导: where the office left off, and what the 一单两库一细则 still lacks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.db.models import CheckItem, Department, Rulebook, Setting, Subject
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.rulebooks import versions as rulebooks
from app.services.accounts import require
from app.services.directory.inspectors import list_inspectors
from app.services.system.settings import OFFICE_NAME, get_settings

PROGRESS_KEY = "setup_wizard.last_finished_step"
#: the wizard's steps, in order (the summary is the last one)
STEPS = ("单位与部门", "事项清单", "检查对象", "执法人员", "工作细则与工作指引", "小结")


def last_finished_step(db: Database) -> int:
    """Index into STEPS of the last step finished, or -1 when the wizard was never run."""
    with db.session() as session:
        row = session.get(Setting, PROGRESS_KEY)
        value = row.value if row else None
    return int(value) if isinstance(value, int) else -1


def resume_step(db: Database) -> int:
    """The step to open when the wizard is started again."""
    return min(last_finished_step(db) + 1, len(STEPS) - 1)


def finish_step(db: Database, actor: Actor, step: int) -> None:
    """Remember that a step was finished (never moves backwards)."""
    require(actor, Role.ADMIN, Role.CLERK)
    if not 0 <= step < len(STEPS):
        return
    with db.session() as session:
        row = session.get(Setting, PROGRESS_KEY)
        if row is not None and isinstance(row.value, int) and row.value >= step:
            return
        if row is None:
            session.add(Setting(key=PROGRESS_KEY, value=step))
        else:
            row.value = step
        audit.record(session, actor, "建库向导", "settings", PROGRESS_KEY, {"完成步骤": STEPS[step]})


@dataclass(frozen=True)
class Gap:
    """Something still missing, what to do about it, and the wizard step that does it."""

    what: str
    todo: str
    step: int


def missing(db: Database, today: date | None = None) -> list[Gap]:
    gaps: list[Gap] = []
    if not get_settings(db)[OFFICE_NAME]:
        gaps.append(Gap("未填写单位名称", "在“单位与部门”一步填写，文书落款要用。", 0))
    with db.session() as session:
        departments = list(session.scalars(select(Department).where(Department.active).order_by(Department.id)))
        enabled = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.enabled)) or 0
        subjects = session.scalar(select(func.count()).select_from(Subject)) or 0
        with_rulebook = set(session.scalars(select(Rulebook.department_id).distinct()))
    regulators = [d for d in departments if rulebooks.is_regulator(d.name, d.is_office)]
    if not regulators:
        gaps.append(Gap("还没有监管部门", "在“单位与部门”一步添加本县的监管部门及文号简称。", 0))
    if not enabled:
        gaps.append(Gap("没有启用的随机抽查事项", "在“事项清单”一步导入省级发布的清单，或选用程序自带的清单。", 1))
    if not subjects:
        gaps.append(Gap("检查对象名录库是空的", "在“检查对象”一步导入从登记系统导出的市场主体名录（xlsx、xls 或 csv）。", 2))
    eligible: dict[str, int] = {}
    for person in list_inspectors(db, on=today, only_eligible=True):
        if person.category != "专家":
            eligible[person.department] = eligible.get(person.department, 0) + 1
    if sum(eligible.values()) < 2:
        gaps.append(Gap(f"可参加抽取的执法检查人员不足 2 人（现 {sum(eligible.values())} 人）",
                        "在“执法人员”一步导入执法检查人员名录，执法证应在有效期内。", 3))
    else:
        for dept in regulators:
            count = eligible.get(dept.name, 0)
            if count < 2:
                gaps.append(Gap(f"{dept.name}可参加抽取的执法检查人员不足 2 人（现 {count} 人）",
                                "每个检查组至少 2 人：请补充该部门的执法检查人员，或检查执法证有效期和请假记录。", 3))
    for dept in regulators:
        if dept.id not in with_rulebook:
            gaps.append(Gap(f"{dept.name}尚未保存工作细则",
                            "在“工作细则与工作指引”一步核对默认文字后点“保存新版本”。", 4))
        guides = rulebooks.list_guides(db, dept.id) if enabled else []
        without = sum(1 for g in guides if not g.version)
        if without:
            gaps.append(Gap(f"{dept.name}有 {without} 个抽查事项还没有工作指引",
                            "在“工作细则与工作指引”一步点“生成工作指引”。", 4))
    return gaps
