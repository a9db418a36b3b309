"""A small county for the 公示 tests: one department, an approved plan, an ordinary and a
突击检查 task, each with a finished draw and its inspections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.db.models import (
    CheckItem,
    Department,
    Draw,
    Inspection,
    ItemResult,
    Plan,
    Subject,
    Task,
)
from app.db.session import Database

MARKET = "青禾县市场监督管理局"


@dataclass
class County:
    department_id: int
    plan_id: int
    task_id: int
    surprise_task_id: int
    inspection_ids: list[int]
    surprise_inspection_ids: list[int]


def _draw(session, task: Task, subjects: list[Subject], finished: datetime) -> list[int]:
    draw = Draw(task_id=task.id, protocol_version="test", status="已完成", finished_at=finished)
    session.add(draw)
    session.flush()
    rows = [Inspection(task_id=task.id, draw_id=draw.id, subject_id=s.id, draw_rank=i)
            for i, s in enumerate(subjects, 1)]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def build_county(db: Database, *, subject_names: tuple[str, ...] = ("青禾县甲商店", "青禾县乙公司")) -> County:
    with db.session() as session:
        market = Department(name=MARKET, short_name="青市监", is_office=True)
        session.add(market)
        session.flush()
        item = CheckItem(natural_key="t1", compiler="省市场监管局", name="一般风险食品销售监督检查",
                         department_id=market.id)
        session.add(item)
        plan = Plan(year=2026, name="2026年度青禾县市场监管领域抽查计划", department_id=market.id,
                    status="审批", approved_on=date(2026, 2, 10))
        session.add(plan)
        session.flush()
        common = dict(plan_id=plan.id, initiating_department_id=market.id, quota_count=2, team_size=2, items=[item])
        task = Task(name="食品销售经营者监督检查", number="青市监抽查〔2026〕1号", **common)
        surprise = Task(name="夜间经营突击检查", number="青市监抽查〔2026〕2号", surprise=True, **common)
        session.add_all([task, surprise])
        subjects = [Subject(name=name, credit_code=f"91331100MA2{i:07d}", address="青禾镇")
                    for i, name in enumerate(subject_names)]
        extra = [Subject(name=f"突击对象{i}", credit_code=f"92331100MA3{i:07d}") for i in range(2)]
        session.add_all(subjects + extra)
        session.flush()
        ids = _draw(session, task, subjects, datetime(2026, 9, 29, 10, 0))
        surprise_ids = _draw(session, surprise, extra, datetime(2026, 11, 2, 9, 0))
        return County(market.id, plan.id, task.id, surprise.id, ids, surprise_ids)


def inspect(db: Database, inspection_id: int, on: date, category: str = "未发现问题", finding: str = "",
            handling: str = "无需处置") -> None:
    with db.session() as session:
        row = session.get(Inspection, inspection_id)
        row.status, row.inspected_on, row.result_category, row.handling = "审核通过", on, category, handling
        task = session.get(Task, row.task_id)
        for item in task.items:
            session.add(ItemResult(inspection_id=row.id, check_item_id=item.id, finding=finding,
                                   result_category=category))
