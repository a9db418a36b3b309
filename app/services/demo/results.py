"""The sample county's last months of finished work: two tasks drawn, inspected and (partly) reviewed.

Most subjects 未发现问题, some 责令改正 (one already 完结), one 移送, one 无法联系; the first task is
fully reviewed, the second has results approved, waiting for review, returned and just entered —
so the notice, 公示 and report pages open on real content.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.db.models import CheckItem, Department, Draw, Plan, Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.inspection import NO_PROBLEM, FollowUp, ItemOutcome, Outcome
from app.services.draw import ceremony as draws
from app.services.inspection import entry, records
from app.services.planning.tasks import SERIAL_KIND
from app.services.system.serials import format_number, next_serial
from app.services.system.settings import DEFAULTS, TASK_NUMBER_PATTERN

MARKET, HEALTH = "青禾县市场监督管理局", "青禾县卫生健康委员会"
CLERK = Actor("clerk", "王芳", frozenset({Role.CLERK}), "市监局-PC1")  # the demo accounts' 经办人
REVIEWER = Actor("reviewer", "李局长", frozenset({Role.REVIEWER}), "市监局-PC2")  # and 审核人
WITNESSES = [draws.Witness("周建华", "县纪委监委派驻纪检组", "40718293561"),
             draws.Witness("刘晓梅", "县人大代表", "93027164580")]
REGISTRATION = ("营业执照（登记证）规范使用情况的检查", "名称规范使用情况的检查", "住所（经营场所）或驻在场所的检查")
CATERING = ("一般风险食品销售监督检查", "餐饮具清洗消毒情况的检查")

#: what was found, by position in the draw's order (the rest: 未发现问题)
FINDINGS_REGISTRATION = {
    2: ("发现问题已责令改正", "营业执照未在经营场所醒目位置悬挂", (FollowUp.RECTIFY,), "closed"),
    5: ("通过登记的住所(经营场所)无法联系", "登记住所已人去楼空，电话无人接听", (FollowUp.OTHER,), ""),
    7: ("发现问题待后续处理", "实际经营范围超出登记范围，涉及医疗器械销售", (FollowUp.TRANSFER,), ""),
    9: ("发现问题已责令改正", "未按规定使用登记的名称", (FollowUp.RECTIFY,), ""),
}
FINDINGS_CATERING = {
    1: ("发现问题已责令改正", "餐饮具消毒记录不全", (FollowUp.RECTIFY,), ""),
    4: ("未发现开展本次抽查涉及的经营活动", "现场已改为零售，未开展餐饮服务", (FollowUp.NONE,), ""),
}


def _task(session, plan: Plan, name: str, scope: dict, quota: int, items: tuple[str, ...],
          starts: date, ends: date, participants=()) -> Task:
    market = session.scalars(select(Department).where(Department.name == MARKET)).one()
    found = list(session.scalars(select(CheckItem).where(CheckItem.compiler == "省市场监管局",
                                                         CheckItem.name.in_(items)).order_by(CheckItem.id)))
    unique = list({item.name: item for item in found}.values())
    serial = next_serial(session, SERIAL_KIND, market.id, plan.year)
    task = Task(plan_id=plan.id, name=name, initiating_department_id=market.id, scope=scope, quota_count=quota,
                team_size=2, methods=["实地核查"], items=unique, starts_on=starts, ends_on=ends,
                participants=list(participants),
                number=format_number(DEFAULTS[TASK_NUMBER_PATTERN], market.short_name, plan.year, serial))
    session.add(task)
    session.flush()
    return task


def _outcome(detail: records.InspectionDetail, day: date, finding: tuple | None) -> Outcome:
    if finding is None:
        return Outcome(inspected_on=day, methods=("实地检查",),
                       items=tuple(ItemOutcome(i.check_item_id) for i in detail.items))
    category, text, follow_ups, closed = finding
    first, *rest = detail.items
    rectify = day + timedelta(days=15) if FollowUp.RECTIFY in follow_ups else None
    problem = category not in (NO_PROBLEM, "未发现开展本次抽查涉及的经营活动", "通过登记的住所(经营场所)无法联系")
    item_category = category if problem else NO_PROBLEM
    return Outcome(
        inspected_on=day, methods=("实地检查", "书面检查"),
        items=(ItemOutcome(first.check_item_id, text, item_category, "当场责令改正" if rectify else ""),
               *(ItemOutcome(i.check_item_id) for i in rest)),
        categories=(category,), follow_ups=tuple(f.value for f in follow_ups), rectify_by=rectify,
        handed_to="县市场监管局药品医疗器械监管股" if FollowUp.TRANSFER in follow_ups else "",
        handed_on=day + timedelta(days=3) if FollowUp.TRANSFER in follow_ups else None,
        closed_on=rectify + timedelta(days=2) if closed else None,
        note="拟列入经营异常名录" if FollowUp.OTHER in follow_ups else "")


def _inspect(db: Database, task_id: int, starts: date, findings: dict, review: list[str]) -> None:
    """Enter every result; ``review[i]`` is what became of the i-th: 通过, 待审核, 退回 or 已录入."""
    rows = records.list_inspections(db, task_id)
    for n, row in enumerate(rows):
        day = starts + timedelta(days=3 + n % 9)
        entry.save_result(db, CLERK, row.id, _outcome(records.get_inspection(db, row.id), day, findings.get(n)))
    entered = [row.id for row, fate in zip(rows, review) if fate != "已录入"]
    entry.submit(db, CLERK, entered)
    entry.approve(db, REVIEWER, [row.id for row, fate in zip(rows, review) if fate == "通过"])
    returned = [row.id for row, fate in zip(rows, review) if fate == "退回"]
    if returned:
        entry.return_results(db, REVIEWER, returned, "发现问题情况写得不具体，请补充检查记录编号")


def _draw(db: Database, task_id: int, on: date) -> None:
    with tempfile.TemporaryDirectory(prefix="ssj-demo-draw-") as folder:
        view, _ = draws.run_draw(db, CLERK, task_id, WITNESSES, "", folder, today=on)
    with db.session() as session:  # held that morning, not now
        row = session.get(Draw, view.id)
        at = datetime.combine(on, time(9, 30))
        row.started_at, row.revealed_at, row.finished_at = at, at + timedelta(minutes=12), at + timedelta(minutes=20)


def create_finished_work(db: Database, today: date) -> list[int]:
    """Add the two finished tasks to this year's plan; none when the year is too young for them."""
    year_start = date(today.year, 1, 1)
    first_start, second_start = today - timedelta(days=100), today - timedelta(days=70)
    if first_start < year_start:
        return []
    with db.session() as session:
        plan = session.scalars(select(Plan).where(Plan.year == today.year).order_by(Plan.id)).first()
        if plan is None:
            return []
        health = session.scalars(select(Department).where(Department.name == HEALTH)).one()
        first = _task(session, plan, "个体工商户登记事项监督检查（第三季度）", {"subject_types": ["个体工商户"]}, 12,
                      REGISTRATION, first_start, first_start + timedelta(days=40))
        second = _task(session, plan, "餐饮服务单位食品安全联合检查（第二批）", {"industries": ["住宿和餐饮业"]}, 8,
                       CATERING, second_start, second_start + timedelta(days=40), participants=[health])
        ids = [(first.id, first_start), (second.id, second_start)]
    for task_id, starts in ids:
        _draw(db, task_id, starts)
    _inspect(db, ids[0][0], first_start, FINDINGS_REGISTRATION, ["通过"] * 12)
    _inspect(db, ids[1][0], second_start, FINDINGS_CATERING,
             ["通过", "退回", "通过", "待审核", "待审核", "通过", "已录入", "已录入"])
    return [task_id for task_id, _ in ids]
