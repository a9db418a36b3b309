"""抽取: the witnessed draw of one task, step by step, each step committed before it is shown.

A draw lives in ``draws`` (the engine's state as JSON) with one ``draw_steps`` row per
step, so a crash or power cut at any step resumes from the last committed one. A
partial unique index keeps one live draw per task: of two PCs starting the same draw,
the database lets exactly one proceed. Once the witnesses' digits are locked the only way
on is the reveal; before that a draw may be abandoned with a recorded reason, and every
later attempt at the task commits to the list of abandoned ones (attempts.tsv). Until the
reveal the program's secret is kept only on the PC running the ceremony (secret_store).
"""

from __future__ import annotations

import os
import platform
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.domain.statuses import DrawStatus
from app.db.models import Draw, DrawStep, Task
from app.db.session import Database
from app.domain import draw
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require, require_other_person
from app.services.draw.inputs import gather_inputs
from app.services.errors import UserError
import time
from dataclasses import replace
from app.domain.replacement import ReasonError, ReplacementReason, reason_text
from app.services.draw import secret_store
from app.services.draw.attempts import abandoned_attempts
from app.services.draw.package_target import check_package_target
from app.services.draw.results import write_results
from app.services.draw.states import TaskDrawState, task_draw_states, unfinished_draws  # noqa: F401 — callers read them here

# Draw.status values, in ceremony order.
STATUS_OF_STAGE = {"prepared": DrawStatus.PREPARED, "witnessed": DrawStatus.WITNESSED, "revealed": DrawStatus.REVEALED, "selected": DrawStatus.SELECTED,
                   "matched": DrawStatus.MATCHED}


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
    attempts: tuple[draw.Attempt, ...] = ()  # the task's earlier, abandoned attempts this draw committed to

    @property
    def revealed(self) -> bool:
        return bool(self.public.get("seed"))


def machine_holder(actor: Actor) -> str:
    """Who holds a draw: the account on its PC (another PC may not take it over mid-ceremony)."""
    return f"{actor.name}@{actor.pc or platform.node() or '本机'}"


def _state(row: Draw) -> draw.DrawState:
    if row.protocol_version != draw.VERSION:
        raise UserError(f"这次抽取按 {row.protocol_version} 协议进行，本程序使用 {draw.VERSION}，不能继续或重新导出；"
                        "已导出的验证包仍可用其中的 verify.py 核验。")
    try:
        return draw.DrawState.from_dict(row.state["engine"])
    except draw.DrawError as exc:
        raise UserError(str(exc)) from exc


def _view(row: Draw, task: Task) -> DrawView:
    state = _state(row)
    witnesses = tuple(Witness(**w) for w in row.state.get("witnesses", []))
    inputs = state.inputs()
    return DrawView(
        id=row.id, task_id=task.id, task_name=task.name, task_number=task.number, status=row.status,
        holder=row.holder, public=state.public(), witnesses=witnesses, selection=tuple(state.selection),
        result=state.final, replacements=tuple(state.replacements),
        population=sum(inputs.sizes.values()), exclusions=len(row.state.get("exclusions", [])),
        attempts=tuple(draw.Attempt(*a) for a in inputs.attempts),
    )


def _save(session, row: Draw, state: draw.DrawState, step: str, actor: Actor, payload: dict | None = None,
          **extra) -> None:
    # sealed(): before the reveal the database never holds the secret, only its commitment.
    row.state = {**row.state, "engine": state.sealed().to_dict(), **extra}
    row.status = STATUS_OF_STAGE[state.stage]
    _append_step(session, row, step, actor, payload if payload is not None else state.public())


def _append_step(session, row: Draw, step: str, actor: Actor, payload: dict) -> None:
    seq = (session.scalar(select(func.max(DrawStep.seq)).where(DrawStep.draw_id == row.id)) or 0) + 1
    session.add(DrawStep(draw_id=row.id, seq=seq, step=step, actor=actor.name, payload=payload))


def _load(session, draw_id: int) -> tuple[Draw, Task]:
    row = session.get(Draw, draw_id)
    if row is None:
        raise UserError("找不到这次抽取记录，请刷新后重试。")
    return row, session.get(Task, row.task_id)


def live_draw(db: Database, task_id: int) -> DrawView | None:
    """The task's draw that is not abandoned (to resume it after a restart), if any."""
    with db.session() as session:
        row = session.scalars(select(Draw).where(Draw.task_id == task_id, Draw.status != DrawStatus.ABANDONED)).first()
        return _view(row, session.get(Task, task_id)) if row else None


def get_draw(db: Database, draw_id: int) -> DrawView:
    with db.session() as session:
        return _view(*_load(session, draw_id))


def start_draw(db: Database, actor: Actor, task_id: int, today: date | None = None) -> DrawView:
    """准备: commit to the inputs and the program's secret. Exactly one PC can start a task's draw."""
    require(actor, Role.CLERK)
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
    with db.session() as session:
        earlier = abandoned_attempts(session, task_id)
    try:
        state = draw.prepare(replace(inputs, attempts=[attempt for _, attempt in earlier]))
    except draw.DrawError as exc:
        raise UserError(str(exc)) from exc
    for wait in (0.05, 0.1, 0.2, 0.4, 0.8, 0):
        try:
            return _insert(db, actor, holder, task_id, inputs, state, [i for i, _ in earlier])
        except (IntegrityError, _Taken):
            return _refuse_second_draw(db, task_id)
        except OperationalError:
            # SQLite: the other PC's start held the write lock ("database is locked"). Its draw is
            # committed by now, or the next try writes ours; either way the loser hears who holds it.
            if not wait:
                return _refuse_second_draw(db, task_id)
            time.sleep(wait)
    raise AssertionError("unreachable")


class _Taken(Exception):
    """Another PC's draw of the task committed first."""


def _insert(db: Database, actor: Actor, holder: str, task_id: int, inputs: draw.DrawInputs, state: draw.DrawState,
            earlier: list[int]) -> DrawView:
    """The new draw's row and first step, in one transaction; K goes to this PC's secret store first."""
    kept = False
    try:
        with db.session() as session:
            if _live_draw(session, task_id):
                raise _Taken
            if [i for i, _ in abandoned_attempts(session, task_id)] != earlier:
                raise UserError("另一台电脑刚刚放弃了该任务的一次抽取，请重新开始抽取。")
            task = session.get(Task, task_id)
            row = Draw(task_id=task.id, protocol_version=draw.VERSION, status=DrawStatus.PREPARED, holder=holder,
                       state={"exclusions": [e.__dict__ for e in inputs.exclusions]})
            session.add(row)
            session.flush()
            secret_store.keep(row.id, state.commitment, state.secret)
            kept = (row.id, state.commitment)
            _save(session, row, state, "准备", actor)
            audit.record(session, actor, "开始抽取", "draw", row.id,
                         {"任务": task.name, "编号": task.number, "承诺": state.commitments,
                          "此前放弃的尝试": len(earlier)})
            return _view(row, task)
    except BaseException:
        if kept:
            secret_store.discard(*kept)
        raise


def _live_draw(session, task_id: int) -> Draw | None:
    return session.scalars(select(Draw).where(Draw.task_id == task_id, Draw.status != DrawStatus.ABANDONED)).first()


def _refuse_second_draw(db: Database, task_id: int) -> NoReturn:
    with db.session() as session:
        other = _live_draw(session, task_id)
    if other is None:
        raise UserError("另一台电脑刚刚开始或放弃了这次抽取，请重试。")
    if other.revealed_at is not None:
        raise UserError(f"该任务已经抽取（{other.revealed_at:%Y-%m-%d %H:%M} 揭示），抽取结果为最终结果，不能再次抽取。")
    raise UserError(f"该任务正由 {other.holder} 抽取（{other.started_at:%Y-%m-%d %H:%M} 开始），"
                    "请等其完成，或由其放弃后再抽取。")


def record_witnesses(db: Database, actor: Actor, draw_id: int, witnesses: list[Witness], beacon: str = "") -> DrawView:
    """见证人录入: the digits are locked in; the projector shows them only now that all are in."""
    require(actor, Role.CLERK)
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


def _advance(db: Database, actor: Actor, draw_id: int, step: str, action) -> DrawView:
    require(actor, Role.CLERK)
    with db.session() as session:
        row, task = _load(session, draw_id)
        try:
            state = action(_unsealed(row) if step == "揭示" else _state(row))
        except draw.DrawError as exc:
            raise UserError(str(exc)) from exc
        _save(session, row, state, step, actor)
        if step == "揭示":
            row.revealed_at, row.seed_hex = datetime.now(), state.seed
        if step == "匹配人员":
            write_results(session, row, task, state.final)
        audit.record(session, actor, f"抽取：{step}", "draw", row.id, {"阶段": row.status, "种子": state.seed})
        return _view(row, task)


def _unsealed(row: Draw) -> draw.DrawState:
    """The stored state with K from this PC's secret store (the reveal is only possible here)."""
    state = _state(row)
    if state.secret or state.stage != "witnessed":
        return state
    secret = secret_store.fetch(row.id, state.commitment)
    if secret is None:
        raise UserError(f"这次抽取的程序密钥只保存在开始抽取的电脑上（{row.holder}），本机没有，不能揭示。"
                        "请在那台电脑上继续揭示；见证人随机数字已锁定，这次抽取不能放弃。")
    return state.unsealed(secret)


def reveal(db: Database, actor: Actor, draw_id: int) -> DrawView:
    """揭示: the secret and the seed. From here the draw is final."""
    view = _advance(db, actor, draw_id, "揭示", draw.reveal)
    secret_store.discard(view.id, view.public["commitments"]["secret_commitment"])  # K is in the database now
    return view


def select_subjects(db: Database, actor: Actor, draw_id: int) -> DrawView:
    return _advance(db, actor, draw_id, "抽取对象", draw.select_subjects)


def match_teams(db: Database, actor: Actor, draw_id: int) -> DrawView:
    return _advance(db, actor, draw_id, "匹配人员", draw.match_teams)


def finish(db: Database, actor: Actor, draw_id: int) -> DrawView:
    require(actor, Role.CLERK)
    with db.session() as session:
        row, task = _load(session, draw_id)
        if row.status != DrawStatus.MATCHED:
            raise UserError("抽取尚未完成匹配人员，不能结束。")
        row.status, row.finished_at = DrawStatus.FINISHED, datetime.now()
        _append_step(session, row, "完成", actor, {})
        audit.record(session, actor, "抽取完成", "draw", row.id, {"任务": task.name})
        return _view(row, task)


def abandon(db: Database, actor: Actor, draw_id: int, reason: str) -> None:
    """放弃 a draw whose witnesses' digits are not locked yet; the reason is required, audited, and
    listed (with when, who and the commitment) in every later attempt at the task."""
    require(actor, Role.CLERK)
    if not reason.strip():
        raise UserError("放弃抽取必须填写原因。")
    with db.session() as session:
        row, task = _load(session, draw_id)
        if row.status == DrawStatus.ABANDONED:
            raise UserError("这次抽取已经放弃。")
        if row.revealed_at is not None or row.status in (DrawStatus.REVEALED, DrawStatus.SELECTED, DrawStatus.MATCHED, DrawStatus.FINISHED):
            raise UserError("种子已揭示，抽取结果为最终结果，不能放弃。如需调整，请按规定替换对象或人员。")
        if row.status != DrawStatus.PREPARED and row.protocol_version == draw.VERSION:  # v2 allowed it until the reveal
            raise UserError("见证人随机数字已锁定，这次抽取只能继续揭示，不能放弃（否则就可能在知道结果后重抽）。"
                            "请点“揭示种子”继续；断电或关闭后重新打开也会直接回到揭示这一步。")
        row.status, row.abandon_reason = DrawStatus.ABANDONED, reason.strip()
        now = session.scalar(select(func.now()))  # the database's clock, as started_at is
        row.state = {**row.state, "abandoned": {"at": f"{now:%Y-%m-%dT%H:%M:%S}", "by": str(actor)}}
        commitment = row.state["engine"]["commitments"]["secret_commitment"]
        audit.record(session, actor, "放弃抽取", "draw", row.id, {"任务": task.name, "原因": reason.strip()})
    secret_store.discard(draw_id, commitment)


def replace_subject(db: Database, actor: Actor, draw_id: int, code: str, reason: ReplacementReason | str,
                    note: str = "", *, confirmed_by: Actor) -> DrawView:
    """A drawn subject (已注销/吊销、经核实无法联系 …) is replaced by the next in its stratum's own order."""
    text = _reason("subject", reason, note)
    return _replace(db, actor, confirmed_by, draw_id, "替换对象", lambda state: draw.replace_subject(state, code, text))


def replace_inspector(db: Database, actor: Actor, draw_id: int, certificate: str, reason: ReplacementReason | str,
                      team: str = "", note: str = "", *, confirmed_by: Actor) -> DrawView:
    """An inspector (回避、因病/公出无法参加 …) is replaced by the next eligible one in the draw's own order."""
    text = _reason("inspector", reason, note)
    return _replace(db, actor, confirmed_by, draw_id, "替换人员",
                    lambda state: draw.replace_inspector(state, certificate, text, team))


def _reason(kind: str, reason: ReplacementReason | str, note: str) -> str:
    try:
        return reason_text(kind, reason, note)
    except ReasonError as exc:
        raise UserError(str(exc)) from exc


def _replace(db: Database, actor: Actor, confirmed_by: Actor, draw_id: int, step: str, action) -> DrawView:
    """A replacement is made by a 经办人 and confirmed by a 监督员 (纪检), another person: both are recorded."""
    role = require(actor, Role.CLERK)
    require(confirmed_by, Role.SUPERVISOR)
    require_other_person(confirmed_by, actor.username, "替换")
    with db.session() as session:
        row, task = _load(session, draw_id)
        if row.status not in (DrawStatus.MATCHED, DrawStatus.FINISHED):
            raise UserError("只有完成匹配的抽取才能替换对象或人员。")
        status = row.status
        try:
            state = action(_state(row))
        except draw.DrawError as exc:
            raise UserError(str(exc)) from exc
        entry = state.replacements[-1]
        confirmation = {**entry, "监督员确认": confirmed_by.name}
        _save(session, row, state, step, actor, payload=confirmation)
        row.status = status
        write_results(session, row, task, state.final, entry["reason"])
        audit.record(session, actor, step, "draw", row.id, confirmation, role=role)
        return _view(row, task)


def export_package(db: Database, draw_id: int, folder: str | os.PathLike) -> draw.PackagePaths:
    """The verification package (folder + zip) for witnesses and anyone who wants to check."""
    with db.session() as session:
        row, _ = _load(session, draw_id)
        state = _state(row)
        head = audit.head(session)
    try:
        paths = draw.write_package(state, Path(folder))
    except draw.DrawError as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:  # the draw itself is safe in the database: `draw export` writes it again
        raise UserError(f"无法写入验证包到 {folder}：{exc.strerror or exc}。抽取结果已保存，"
                        "可换一个位置用 python -m app draw export 重新导出。") from exc
    _add_audit_head(paths, head)
    return paths


AUDIT_HEAD_FILE = "audit_head.txt"


def _add_audit_head(paths: draw.PackagePaths, head: str) -> None:
    """The audit log's head when the package was made, beside the draw files (verify.py ignores it):
    whoever keeps the package can later prove the log up to here was not cut or rewritten."""
    text = (f"{head}\n审计日志链头（序号:哈希），生成验证包时记下。核对：python -m app audit verify --head {head}\n"
            ).encode("utf-8")
    paths.folder.joinpath(AUDIT_HEAD_FILE).write_bytes(text)
    with zipfile.ZipFile(paths.zip, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(AUDIT_HEAD_FILE, date_time=(1980, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)


def run_draw(db: Database, actor: Actor, task_id: int, witnesses: list[Witness], beacon: str,
             folder: str | os.PathLike, today: date | None = None) -> tuple[DrawView, draw.PackagePaths]:
    """A whole draw without the ceremony screens (for scripts): every step still committed.

    The package folder and the witness digits are checked before anything is committed: a draw
    that cannot be written out, or whose digits would be refused, never starts."""
    check_package_target(folder)
    try:
        draw.protocol.check_witnesses([w.digits for w in witnesses])
        draw.protocol.parse_beacon(beacon.strip().lower())
    except draw.DrawError as exc:
        raise UserError(str(exc)) from exc
    view = start_draw(db, actor, task_id, today)
    try:
        view = record_witnesses(db, actor, view.id, witnesses, beacon)
    except UserError:
        abandon(db, actor, view.id, "命令行抽取：见证人随机数不符合要求")
        raise
    for step in (reveal, select_subjects, match_teams, finish):
        view = step(db, actor, view.id)
    return view, export_package(db, view.id, folder)
