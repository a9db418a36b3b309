"""Finishing an interrupted draw, and writing a final draw's package again (python -m app draw resume |
export).  An interrupted draw goes on from its last committed step: before the witnesses it needs
their digits; once they are locked the next step is the reveal (on the PC holding the secret),
and a revealed draw only ever completes, with the seed it already has."""

from __future__ import annotations

import os

from app.domain.statuses import DrawStatus
from app.db.session import Database
from app.domain import draw
from app.services.draw import ceremony as draws
from app.services.draw.package_target import check_package_target
from app.services.draw.ceremony import DrawView, Witness
from app.domain.accounts import Actor
from app.services.errors import UserError

_NEXT = {DrawStatus.WITNESSED: draws.reveal, DrawStatus.REVEALED: draws.select_subjects, DrawStatus.SELECTED: draws.match_teams,
         DrawStatus.MATCHED: draws.finish}


def resume_draw(db: Database, actor: Actor, task_id: int, folder: str | os.PathLike, witnesses: list[Witness] = (),
                beacon: str = "") -> tuple[DrawView, str, draw.PackagePaths]:
    """(the finished draw, the status it was resumed at, its package).  Witnesses are needed, and
    only accepted, when the draw stopped before they were locked."""
    check_package_target(folder)
    view = draws.live_draw(db, task_id)
    if view is None:
        raise UserError(f"任务 {task_id} 没有未完成或已完成的抽取可以继续。用 python -m app tasks list 查看任务。")
    resumed = view.status
    if view.status == DrawStatus.PREPARED:
        if not witnesses:
            raise UserError("这次抽取停在“准备”一步，见证人随机数字还没有录入：请用 --witness 姓名:数字 给出"
                            "（合计至少 20 位）。")
        view = draws.record_witnesses(db, actor, view.id, list(witnesses), beacon)
    elif witnesses or beacon:
        raise UserError(f"这次抽取已进行到“{view.status}”，见证人随机数字早已锁定，不能再给出 --witness 或 --beacon。")
    while view.status != DrawStatus.FINISHED:
        view = _NEXT[view.status](db, actor, view.id)
    return view, resumed, draws.export_package(db, view.id, folder)


def export_final(db: Database, task_id: int, folder: str | os.PathLike) -> tuple[DrawView, draw.PackagePaths]:
    """The package of the task's finished draw, written again to a new folder."""
    check_package_target(folder)
    view = draws.live_draw(db, task_id)
    if view is None or view.status != DrawStatus.FINISHED:
        where = "还没有抽取" if view is None else f"的抽取停在“{view.status}”，请先用 draw resume 完成"
        raise UserError(f"任务 {task_id} {where}，没有可导出的验证包。")
    return view, draws.export_package(db, view.id, folder)
