"""Results entry and review: 录入 → 提交审核 → 审核通过 / 退回, each step audited.

The reviewer may not be the person who entered or submitted a result (four-eyes, checked
here so the GUI and the CLI only say who is acting).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Inspection, Subject, Task
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.inspection import (
    EDITABLE,
    InspectionStatus,
    ItemOutcome,
    Outcome,
    outcome_problems,
)
from app.services.system import audit
from app.services.accounts import require, require_other_person
from app.services.errors import UserError
from app.services.inspection.categories import categories_in
from app.services.inspection.records import InspectionRow, rows_in

Status = InspectionStatus


def outcome_of(inspection: Inspection) -> Outcome:
    """What is stored, in the shape it was entered (to tell whether a re-import changes anything)."""
    return Outcome(
        inspected_on=inspection.inspected_on, methods=tuple(inspection.methods),
        items=tuple(ItemOutcome(r.check_item_id, r.finding, r.result_category, r.handling)
                    for r in inspection.results),
        categories=tuple(inspection.categories), follow_ups=tuple(inspection.follow_ups),
        rectify_by=inspection.rectify_by, handed_to=inspection.handed_to, handed_on=inspection.handed_on,
        copied_to=inspection.copied_to, closed_on=inspection.closed_on, note=inspection.note)


def locked_problem(inspection: Inspection) -> str:
    """Why this inspection's result may not be changed now ("" when it may)."""
    if inspection.status in EDITABLE:
        return ""
    return (f"该检查记录状态为“{inspection.status}”，不能修改结果"
            + ("（已替换的对象不再检查）。" if inspection.status == Status.REPLACED
               else "（审核中或已审核通过；如需更正，请审核人退回）。"))


def problems_for(session: Session, inspection: Inspection, outcome: Outcome) -> list[str]:
    """Why ``outcome`` cannot be stored on ``inspection`` (empty: it can)."""
    if locked_problem(inspection):
        return [locked_problem(inspection)]
    task = session.get(Task, inspection.task_id)
    problems = [message for _, message in
                outcome_problems(outcome, categories_in(session), task.starts_on, task.ends_on)]
    expected = {r.check_item_id for r in inspection.results}
    given = [item.check_item_id for item in outcome.items]
    if sorted(given) != sorted(expected):
        problems.append("检查事项与任务的检查事项不一致，请刷新后重新录入。")
    return problems


def entered_fields(outcome: Outcome, actor: Actor, now: datetime) -> dict:
    """The inspection's columns once ``outcome`` is entered (the sheet import writes the same, in bulk)."""
    return {
        "inspected_on": outcome.inspected_on, "methods": list(outcome.methods),
        "categories": list(outcome.categories), "result_category": "、".join(outcome.categories),
        "follow_ups": list(outcome.follow_ups), "handling": "、".join(outcome.follow_ups),
        "rectify_by": outcome.rectify_by, "handed_to": outcome.handed_to.strip(), "handed_on": outcome.handed_on,
        "copied_to": outcome.copied_to.strip(), "closed_on": outcome.closed_on, "note": outcome.note.strip(),
        "status": Status.ENTERED.value, "returned_reason": "", "entered_by": actor.username, "entered_at": now,
    }


def item_fields(item: ItemOutcome) -> dict:
    return {"finding": item.finding.strip(), "result_category": item.category, "handling": item.handling.strip()}


def apply_outcome(session: Session, actor: Actor, inspection: Inspection, outcome: Outcome) -> bool:
    """Store a checked outcome, audited; False (and nothing written) when it equals what is stored."""
    if outcome_of(inspection) == outcome and inspection.status != Status.PENDING:
        return False
    by_item = {item.check_item_id: item for item in outcome.items}
    for result in inspection.results:
        for name, value in item_fields(by_item[result.check_item_id]).items():
            setattr(result, name, value)
    for name, value in entered_fields(outcome, actor, datetime.now()).items():
        setattr(inspection, name, value)
    audit.record(session, actor, "录入检查结果", "inspection", inspection.id,
                 {"检查日期": outcome.inspected_on, "检查结果": inspection.result_category,
                  "后续处置": inspection.handling, "完结": outcome.closed_on})
    return True


def _load(session: Session, inspection_id: int) -> Inspection:
    inspection = session.get(Inspection, inspection_id, options=[selectinload(Inspection.results)])
    if inspection is None:
        raise UserError("找不到这条检查记录，请刷新后重试。")
    return inspection


def save_result(db: Database, actor: Actor, inspection_id: int, outcome: Outcome) -> InspectionRow:
    """录入 (or correct before review) one inspection's result; the status becomes 已录入."""
    require(actor, Role.CLERK)
    with db.session() as session:
        inspection = _load(session, inspection_id)
        problems = problems_for(session, inspection, outcome)
        if problems:
            raise UserError("；".join(problems))
        apply_outcome(session, actor, inspection, outcome)
        session.flush()
        return rows_in(session, Inspection.id == inspection_id)[0]


def _batch(session: Session, ids: list[int]) -> list[tuple[Inspection, str]]:
    if not ids:
        raise UserError("请先选择检查记录。")
    pairs = session.execute(select(Inspection, Subject.name).join(Subject, Inspection.subject_id == Subject.id)
                            .where(Inspection.id.in_(ids)).order_by(Inspection.draw_rank)).all()
    if len(pairs) != len(set(ids)):
        raise UserError("部分检查记录已不存在，请刷新后重试。")
    return [(i, name) for i, name in pairs]


def _refuse_unless(pairs, wanted: Status, doing: str) -> None:
    wrong = [f"{name}（{inspection.status}）" for inspection, name in pairs if inspection.status != wanted]
    if wrong:
        raise UserError(f"只有“{wanted.value}”的检查记录才能{doing}：{'、'.join(wrong)}。未做任何更改。")


def submit(db: Database, actor: Actor, ids: list[int]) -> int:
    """提交审核: 已录入 → 待审核 (a returned result is corrected and saved first)."""
    require(actor, Role.CLERK)
    with db.session() as session:
        pairs = _batch(session, ids)
        _refuse_unless(pairs, Status.ENTERED, "提交审核")
        now = datetime.now()
        for inspection, name in pairs:
            inspection.status, inspection.submitted_by, inspection.submitted_at = Status.SUBMITTED, actor.username, now
            audit.record(session, actor, "提交审核检查结果", "inspection", inspection.id, {"检查对象": name})
        return len(pairs)


def approve(db: Database, actor: Actor, ids: list[int]) -> int:
    """审核通过 (the result may now go into the notice and 公示); never by who entered or submitted it."""
    require(actor, Role.REVIEWER)
    with db.session() as session:
        pairs = _batch(session, ids)
        _refuse_unless(pairs, Status.SUBMITTED, "审核通过")
        now = datetime.now()
        for inspection, name in pairs:
            for earlier in {inspection.entered_by, inspection.submitted_by}:
                require_other_person(actor, earlier, f"“{name}”的检查结果")
            inspection.status, inspection.reviewed_by, inspection.reviewed_at = Status.APPROVED, actor.username, now
            audit.record(session, actor, "审核通过检查结果", "inspection", inspection.id, {"检查对象": name})
        return len(pairs)


def return_results(db: Database, actor: Actor, ids: list[int], reason: str) -> int:
    """退回 with a reason: the clerk corrects the result and submits it again."""
    require(actor, Role.REVIEWER)
    if not reason.strip():
        raise UserError("退回须填写原因，告诉录入人要改什么。")
    with db.session() as session:
        pairs = _batch(session, ids)
        _refuse_unless(pairs, Status.SUBMITTED, "退回")
        now = datetime.now()
        for inspection, name in pairs:
            inspection.status, inspection.returned_reason = Status.RETURNED, reason.strip()
            inspection.reviewed_by, inspection.reviewed_at = actor.username, now
            audit.record(session, actor, "退回检查结果", "inspection", inspection.id,
                         {"检查对象": name, "原因": reason.strip()})
        return len(pairs)


def close_follow_up(db: Database, actor: Actor, inspection_id: int, closed_on: date, note: str = "") -> InspectionRow:
    """后续处置完结 after review (整改 done, case closed): a date, audited; the result itself stays."""
    require(actor, Role.CLERK)
    with db.session() as session:
        inspection = _load(session, inspection_id)
        if inspection.status == Status.REPLACED or not inspection.follow_ups:
            raise UserError("该检查记录还没有后续处置，无需完结。")
        if inspection.inspected_on and closed_on < inspection.inspected_on:
            raise UserError(f"完结日期 {closed_on:%Y-%m-%d} 早于检查日期 {inspection.inspected_on:%Y-%m-%d}。")
        inspection.closed_on = closed_on
        if note.strip():
            inspection.note = "\n".join(filter(None, (inspection.note, f"完结：{note.strip()}")))
        audit.record(session, actor, "后续处置完结", "inspection", inspection.id, {"完结日期": closed_on, "说明": note})
        session.flush()
        return rows_in(session, Inspection.id == inspection_id)[0]
