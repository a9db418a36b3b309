"""The sample county's 公示 in every state, so the 概览 page has something to show:
the annual plan published on time, a task's list published on time and its results half
published late and half overdue, a list and a 行政处罚 item due within 3 working days, a
突击检查 task whose list became due only after its inspections (upcoming), and the 卫健委's
list overdue.

Draws are real (``draws.run_draw``); only their finishing day and the inspection dates are
set back, counted in working days from ``today`` so every state holds whatever the date."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.db.models import Department, Draw, Inspection, Plan, Task
from app.db.session import Database
from app.domain.accounts import Actor
from app.domain.workdays import WorkdayCalendar
from app.services.draw import ceremony as draws
from app.services.demo.plan import HEALTH, MARKET, _items, _number
from app.services.publication import calendar, publications
from app.domain.inspection import InspectionStatus
from app.services.publication.sources import CASE_OPENED

PLATFORM = "国家企业信用信息公示系统"
WITNESSES = [draws.Witness("王见证", "县人大代表", "31415926535"), draws.Witness("刘见证", "企业代表", "27182818284")]


def _working_days_before(cal: WorkdayCalendar, today: date, n: int) -> date:
    day, counted = today, 0
    while counted < n:
        day -= timedelta(days=1)
        counted += cal.is_workday(day)
    return day


def _tasks(db: Database, today: date) -> tuple[Task, Task, Task, Task]:
    with db.session() as session:
        plan = session.scalar(select(Plan).where(Plan.year == today.year).order_by(Plan.id))
        market = session.scalar(select(Department).where(Department.name == MARKET))
        health = session.scalar(select(Department).where(Department.name == HEALTH))
        food = _items(session, "省市场监管局", ("一般风险食品销售监督检查",))
        hotels = _items(session, "省卫健委", ("宾馆、旅店卫生情况的检查",))
        common = dict(plan_id=plan.id, initiating_department_id=market.id, team_size=2, methods=["现场检查"],
                      items=food, scope={"industries": ["批发和零售业", "住宿和餐饮业"], "tags": ["食品经营"]},
                      starts_on=date(today.year, 1, 1), ends_on=date(today.year, 12, 25))
        tasks = (Task(name="食品销售经营者监督检查（上半年）", quota_count=6, **common),
                 Task(name="餐饮服务单位监督检查", quota_count=4, **common),
                 Task(name="夜间食品经营突击检查", quota_count=3, surprise=True, **common),
                 Task(name="宾馆、旅店卫生监督检查", quota_count=3, **{**common, "initiating_department_id": health.id,
                                                               "items": hotels, "scope": {"industries": ["住宿和餐饮业"]}}))
        for task in tasks:
            task.number = _number(session, session.get(Department, task.initiating_department_id), today.year)
            session.add(task)
        session.flush()
        return tasks


def _draw(db: Database, actor: Actor, task_id: int, finished: date, today: date) -> list[int]:
    with tempfile.TemporaryDirectory() as folder:
        view, _package = draws.run_draw(db, actor, task_id, WITNESSES, "", folder, today=today)
    with db.session() as session:
        session.get(Draw, view.id).finished_at = datetime.combine(finished, time(10, 0))
        return list(session.scalars(select(Inspection.id).where(Inspection.draw_id == view.id)
                                    .order_by(Inspection.draw_rank)))


def _inspect(db: Database, ids: list[int], on: date, handling: str = "无需处置") -> None:
    with db.session() as session:
        for inspection in session.scalars(select(Inspection).where(Inspection.id.in_(ids))):
            inspection.status, inspection.inspected_on = InspectionStatus.APPROVED, on
            inspection.result_category, inspection.handling = "未发现问题", handling
            for result in inspection.results:  # one row per 检查事项, made when the draw was written
                result.result_category, result.handling = "未发现问题", handling


def create_demo_publications(db: Database, actor: Actor, today: date) -> None:
    clerk = actor
    cal = calendar.calendar(db)

    def before(n: int) -> date:
        return _working_days_before(cal, today, n)

    first_half, catering, surprise, hotels = _tasks(db, today)
    done = _draw(db, actor, first_half.id, before(40), today)
    _draw(db, actor, catering.id, before(8), today)  # list due in 2 working days
    night = _draw(db, actor, surprise.id, before(12), today)
    _draw(db, actor, hotels.id, before(14), today)  # list due 4 working days ago: overdue
    _inspect(db, done[:3], before(35))
    _inspect(db, done[3:], before(25))  # results due 5 working days ago: overdue
    _inspect(db, night, before(3))  # the 突击检查 list counts from here
    with db.session() as session:
        session.get(Inspection, done[0]).handling = CASE_OPENED
    publications.record_penalty_decision(db, clerk, done[0], before(5))  # due in 2 working days
    by_key = {(i.kind, i.task_id, i.counted_from): i for i in publications.items(db, today)}
    listing = by_key[("抽取名单", first_half.id, before(40))]
    publications.mark_published(db, clerk, listing.ids, before(32), PLATFORM, today)  # on time
    late = by_key[("检查结果", first_half.id, before(35))]
    publications.mark_published(db, clerk, late.ids, before(12), PLATFORM, today)  # 3 working days late
