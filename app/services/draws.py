"""抽取: the witnessed draw of one task, step by step, each step committed before it is shown.

A draw lives in ``draws`` (the engine's state as JSON) with one ``draw_steps`` row per
step, so a crash or power cut at any step resumes from the last committed one. A
partial unique index keeps one live draw per task: of two PCs starting the same draw,
the database lets exactly one proceed. Once revealed a draw is final; before that it
may be abandoned with a recorded reason.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.db.models import ABANDONED, Certificate, Draw, DrawStep, Inspection, Subject, Task, Team, TeamMember
from app.db.session import Database
from app.domain import draw
from app.services import audit
from app.services.backup.write_lock import long_write
from app.services.draw_inputs import gather_inputs
from app.services.errors import UserError

# Draw.status values, in ceremony order.
PREPARED, WITNESSED, REVEALED, SELECTED, MATCHED, FINISHED = "准备", "见证人录入", "已揭示", "已抽取对象", "已匹配人员", "已完成"
STATUS_OF_STAGE = {"prepared": PREPARED, "witnessed": WITNESSED, "revealed": REVEALED, "selected": SELECTED,
                   "matched": MATCHED}
UNFINISHED = (PREPARED, WITNESSED, REVEALED, SELECTED, MATCHED)  # started, not yet 已完成


@dataclass(frozen=True)
class Witness:
    name: str
    organisation: str
    digits: str


@dataclass(frozen=True)
class DrawView:
    """What the control window and the projector show of a draw at its current step."""

    id: int
    task_id: int
    task_name: str
    task_number: str
    status: str
    holder: str
    public: dict  # commitments; secret and seed once revealed
    witnesses: tuple[Witness, ...]
    selection: tuple[dict, ...]  # per stratum: population, quota, drawn, alternates
    result: dict | None  # {"subjects": [...], "teams": [...]} once matched
    replacements: tuple[dict, ...]
    population: int
    exclusions: int

    @property
    def revealed(self) -> bool:
        return bool(self.public.get("seed"))


def machine_holder(actor: str) -> str:
    return actor if "@" in actor else f"{actor}@{platform.node() or '本机'}"


def _state(row: Draw) -> draw.DrawState:
    return draw.DrawState.from_dict(row.state["engine"])


def _view(row: Draw, task: Task) -> DrawView:
    state = _state(row)
    witnesses = tuple(Witness(**w) for w in row.state.get("witnesses", []))
    inputs = state.inputs()
    return DrawView(
        id=row.id, task_id=task.id, task_name=task.name, task_number=task.number, status=row.status,
        holder=row.holder, public=state.public(), witnesses=witnesses, selection=tuple(state.selection),
        result=state.final, replacements=tuple(state.replacements),
        population=sum(inputs.sizes.values()), exclusions=len(row.state.get("exclusions", [])),
    )


def _save(session, row: Draw, state: draw.DrawState, step: str, actor: str, payload: dict | None = None,
          **extra) -> None:
    row.state = {**row.state, "engine": state.to_dict(), **extra}
    row.status = STATUS_OF_STAGE[state.stage]
    _append_step(session, row, step, actor, payload if payload is not None else state.public())


def _append_step(session, row: Draw, step: str, actor: str, payload: dict) -> None:
    seq = (session.scalar(select(func.max(DrawStep.seq)).where(DrawStep.draw_id == row.id)) or 0) + 1
    session.add(DrawStep(draw_id=row.id, seq=seq, step=step, actor=actor, payload=payload))


def _load(session, draw_id: int) -> tuple[Draw, Task]:
    row = session.get(Draw, draw_id)
    if row is None:
        raise UserError("找不到这次抽取记录，请刷新后重试。")
    return row, session.get(Task, row.task_id)


def live_draw(db: Database, task_id: int) -> DrawView | None:
    """The task's draw that is not abandoned (to resume it after a restart), if any."""
    with db.session() as session:
        row = session.scalars(select(Draw).where(Draw.task_id == task_id, Draw.status != ABANDONED)).first()
        return _view(row, session.get(Task, task_id)) if row else None


def get_draw(db: Database, draw_id: int) -> DrawView:
    with db.session() as session:
        return _view(*_load(session, draw_id))


def start_draw(db: Database, actor: str, task_id: int, today: date | None = None) -> DrawView:
    """准备: commit to the inputs and the program's secret. Exactly one PC can start a task's draw."""
    holder = machine_holder(actor)
    with db.session() as session:
        if session.get(Task, task_id) is None:
            raise UserError(f"没有编号为 {task_id} 的任务。用 python -m app tasks list 查看任务。")
        if _live_draw(session, task_id):
            return _refuse_second_draw(db, task_id)
    try:
        _, inputs = gather_inputs(db, task_id, today)
    except UserError:
        with db.session() as session:
            if _live_draw(session, task_id):  # another PC started it meanwhile: say who
                return _refuse_second_draw(db, task_id)
        raise
    try:
        state = draw.prepare(inputs)
    except draw.DrawError as exc:
        raise UserError(str(exc)) from exc
    try:
        # On SQLite the write lock is taken before the task is read again: a plain BEGIN would read
        # first, and a second PC's draw committed in between would make SQLite refuse the insert
        # with "database is locked" instead of the unique index naming the other draw.
        with long_write(db, actor, "开始抽取", wait=START_WAIT) as session:
            task = session.get(Task, task_id)
            row = Draw(task_id=task.id, protocol_version=draw.VERSION, status=PREPARED, holder=holder,
                       state={"exclusions": [e.__dict__ for e in inputs.exclusions]})
            session.add(row)
            session.flush()
            _save(session, row, state, "准备", actor)
            audit.record(session, actor, "开始抽取", "draw", row.id,
                         {"任务": task.name, "编号": task.number, "承诺": state.commitments})
            return _view(row, task)
    except IntegrityError:
        return _refuse_second_draw(db, task_id)


START_WAIT = 30.0  # seconds a draw start waits for another PC's write before it says who is writing


def _live_draw(session, task_id: int) -> Draw | None:
    return session.scalars(select(Draw).where(Draw.task_id == task_id, Draw.status != ABANDONED)).first()


def _refuse_second_draw(db: Database, task_id: int) -> NoReturn:
    with db.session() as session:
        other = _live_draw(session, task_id)
    if other is None:
        raise UserError("另一台电脑刚刚开始或放弃了这次抽取，请重试。")
    if other.revealed_at is not None:
        raise UserError(f"该任务已经抽取（{other.revealed_at:%Y-%m-%d %H:%M} 揭示），抽取结果为最终结果，不能再次抽取。")
    raise UserError(f"该任务正由 {other.holder} 抽取（{other.started_at:%Y-%m-%d %H:%M} 开始），"
                    "请等其完成，或由其放弃后再抽取。")


def record_witnesses(db: Database, actor: str, draw_id: int, witnesses: list[Witness], beacon: str = "") -> DrawView:
    """见证人录入: the digits are locked in; the projector shows them only now that all are in."""
    if not witnesses or any(not w.name.strip() for w in witnesses):
        raise UserError("请填写每位见证人的姓名。")
    with db.session() as session:
        row, task = _load(session, draw_id)
        try:
            state = draw.add_witnesses(_state(row), [w.digits for w in witnesses], beacon)
        except draw.DrawError as exc:
            raise UserError(str(exc)) from exc
        names = [w.__dict__ for w in witnesses]
        _save(session, row, state, "见证人录入", actor, witnesses=names)
        audit.record(session, actor, "录入见证人随机数", "draw", row.id, {"见证人": names, "信标": beacon})
        return _view(row, task)


def _advance(db: Database, actor: str, draw_id: int, step: str, action) -> DrawView:
    with db.session() as session:
        row, task = _load(session, draw_id)
        try:
            state = action(_state(row))
        except draw.DrawError as exc:
            raise UserError(str(exc)) from exc
        _save(session, row, state, step, actor)
        if step == "揭示":
            row.revealed_at, row.seed_hex = datetime.now(), state.seed
        if step == "匹配人员":
            _write_results(session, row, task, state.final)
        audit.record(session, actor, f"抽取：{step}", "draw", row.id, {"阶段": row.status, "种子": state.seed})
        return _view(row, task)


def reveal(db: Database, actor: str, draw_id: int) -> DrawView:
    """揭示: the secret and the seed. From here the draw is final."""
    return _advance(db, actor, draw_id, "揭示", draw.reveal)


def select_subjects(db: Database, actor: str, draw_id: int) -> DrawView:
    return _advance(db, actor, draw_id, "抽取对象", draw.select_subjects)


def match_teams(db: Database, actor: str, draw_id: int) -> DrawView:
    return _advance(db, actor, draw_id, "匹配人员", draw.match_teams)


def finish(db: Database, actor: str, draw_id: int) -> DrawView:
    with db.session() as session:
        row, task = _load(session, draw_id)
        if row.status != MATCHED:
            raise UserError("抽取尚未完成匹配人员，不能结束。")
        row.status, row.finished_at = FINISHED, datetime.now()
        _append_step(session, row, "完成", actor, {})
        audit.record(session, actor, "抽取完成", "draw", row.id, {"任务": task.name})
        return _view(row, task)


def abandon(db: Database, actor: str, draw_id: int, reason: str) -> None:
    """放弃 a draw that has not been revealed; the reason is required and audited."""
    if not reason.strip():
        raise UserError("放弃抽取必须填写原因。")
    with db.session() as session:
        row, task = _load(session, draw_id)
        if row.revealed_at is not None or row.status in (REVEALED, SELECTED, MATCHED, FINISHED):
            raise UserError("种子已揭示，抽取结果为最终结果，不能放弃。如需调整，请按规定替换对象或人员。")
        row.status, row.abandon_reason = ABANDONED, reason.strip()
        audit.record(session, actor, "放弃抽取", "draw", row.id, {"任务": task.name, "原因": reason.strip()})


def _ids(session, codes: set[str], certificates: set[str]) -> tuple[dict, dict]:
    subjects = dict(session.execute(select(Subject.credit_code, Subject.id).where(Subject.credit_code.in_(codes))).all())
    subjects.update(session.execute(
        select(Subject.registration_no, Subject.id).where(Subject.registration_no.in_(codes))).all())
    people = dict(session.execute(
        select(Certificate.number, Certificate.inspector_id).where(Certificate.number.in_(certificates))).all())
    return subjects, people


def _write_results(session, row: Draw, task: Task, final: dict, reason: str = "") -> None:
    """Make teams and inspections match the engine's result (after matching or a replacement).

    Teams are rebuilt from the result; a subject no longer drawn keeps its inspection row,
    marked 已替换 with the reason, so the history shows what happened.
    """
    codes = {s["id"] for s in final["subjects"]}
    certs = {m["id"] for t in final["teams"] for m in t["members"]}
    existing = session.scalars(select(Inspection).where(Inspection.draw_id == row.id)).all()
    held = {i.subject_id: i for i in existing}
    subject_ids, inspector_ids = _ids(session, codes | _codes_of(session, held), certs)
    for inspection in existing:
        inspection.team_id = None
    for team in session.scalars(select(Team).where(Team.draw_id == row.id)):
        session.delete(team)
    session.flush()
    teams = {}
    for number, team in enumerate(final["teams"], start=1):
        teams[team["label"]] = Team(draw_id=row.id, number=number, leader_id=inspector_ids[team["leader"]],
                                    members=[TeamMember(inspector_id=inspector_ids[m["id"]]) for m in team["members"]])
        session.add(teams[team["label"]])
    session.flush()
    drawn = {subject_ids[s["id"]]: s for s in final["subjects"]}
    rank = max((i.draw_rank for i in existing), default=0)
    for subject_id, subject in drawn.items():
        team = teams.get(subject["team"])
        inspection = held.get(subject_id)
        if inspection is None:
            rank += 1
            inspection = Inspection(task_id=task.id, draw_id=row.id, subject_id=subject_id, draw_rank=rank)
            session.add(inspection)
        inspection.team_id = team.id if team else None
    for subject_id, inspection in held.items():
        if subject_id not in drawn and inspection.status != "已替换":
            inspection.status, inspection.replaced_reason = "已替换", reason


def _codes_of(session, held: dict) -> set[str]:
    if not held:
        return set()
    rows = session.execute(select(Subject.credit_code, Subject.registration_no).where(Subject.id.in_(held)))
    return {credit or regno for credit, regno in rows}


def replace_subject(db: Database, actor: str, draw_id: int, code: str, reason: str) -> DrawView:
    """A drawn subject (注销、无法联系 …) is replaced by the next in its stratum's own order."""
    return _replace(db, actor, draw_id, "替换对象", lambda state: draw.replace_subject(state, code, reason))


def replace_inspector(db: Database, actor: str, draw_id: int, certificate: str, reason: str,
                      team: str = "") -> DrawView:
    """An inspector (回避、病假 …) is replaced by the next eligible one in the draw's own order."""
    return _replace(db, actor, draw_id, "替换人员",
                    lambda state: draw.replace_inspector(state, certificate, reason, team))


def _replace(db: Database, actor: str, draw_id: int, step: str, action) -> DrawView:
    with db.session() as session:
        row, task = _load(session, draw_id)
        if row.status not in (MATCHED, FINISHED):
            raise UserError("只有完成匹配的抽取才能替换对象或人员。")
        status = row.status
        try:
            state = action(_state(row))
        except draw.DrawError as exc:
            raise UserError(str(exc)) from exc
        entry = state.replacements[-1]
        _save(session, row, state, step, actor, payload=entry)
        row.status = status
        _write_results(session, row, task, state.final, entry["reason"])
        audit.record(session, actor, step, "draw", row.id, entry)
        return _view(row, task)


def export_package(db: Database, draw_id: int, folder: str | os.PathLike) -> draw.PackagePaths:
    """The verification package (folder + zip) for witnesses and anyone who wants to check."""
    with db.session() as session:
        row, _ = _load(session, draw_id)
        state = _state(row)
    try:
        return draw.write_package(state, Path(folder))
    except draw.DrawError as exc:
        raise UserError(str(exc)) from exc


def run_draw(db: Database, actor: str, task_id: int, witnesses: list[Witness], beacon: str,
             folder: str | os.PathLike, today: date | None = None) -> tuple[DrawView, draw.PackagePaths]:
    """A whole draw without the ceremony screens (for scripts): every step still committed."""
    view = start_draw(db, actor, task_id, today)
    try:
        view = record_witnesses(db, actor, view.id, witnesses, beacon)
    except UserError:
        abandon(db, actor, view.id, "命令行抽取：见证人随机数不符合要求")
        raise
    for step in (reveal, select_subjects, match_teams, finish):
        view = step(db, actor, view.id)
    return view, export_package(db, view.id, folder)


@dataclass(frozen=True)
class TaskDrawState:
    id: int
    name: str
    number: str
    year: int
    drawn: bool  # revealed: final
    draw_status: str  # "" when never started


def unfinished_draws(db: Database) -> list[TaskDrawState]:
    """Tasks whose draw stopped half-way (a power cut, the program closed): shown first thing at start."""
    return [s for s in task_draw_states(db) if s.draw_status in UNFINISHED]


def task_draw_states(db: Database) -> list[TaskDrawState]:
    """Every task with where its draw stands (for `tasks list` and the draw page)."""
    from app.db.models import Plan

    with db.session() as session:
        live = {d.task_id: d for d in session.scalars(select(Draw).where(Draw.status != ABANDONED))}
        rows = session.execute(select(Task.id, Task.name, Task.number, Plan.year).join(Plan)
                               .order_by(Plan.year.desc(), Task.id)).all()
        return [TaskDrawState(r.id, r.name, r.number, r.year, r.id in live and live[r.id].revealed_at is not None,
                              live[r.id].status if r.id in live else "") for r in rows]
