"""A process that runs a draw one committed step at a time (for the kill-and-resume tests).

    python -m tests.integration.draw_steps steps URL TASK_ID      reads step names from stdin
    python -m tests.integration.draw_steps resume URL TASK_ID OUT  finishes the live draw, exports

``steps`` prints ``ok <status>`` after each step has returned (i.e. is committed) and then
waits for the next line, so the test can SIGKILL it between any two steps.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from app.domain.statuses import DrawStatus
from app.db.session import Database
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from tests.actors import CLERK

WITNESSES = [Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"), Witness("李代表", "县人大代表", "00098765432")]
ACTOR = replace(CLERK, pc="会议室电脑")


def _steps(db: Database, task_id: int) -> None:
    view = None
    for line in sys.stdin:
        step = line.strip()
        if step == "start":
            view = draws.start_draw(db, ACTOR, task_id)
        elif step == "witnesses":
            view = draws.record_witnesses(db, ACTOR, view.id, WITNESSES)
        elif step in ("reveal", "select_subjects", "match_teams", "finish"):
            view = getattr(draws, step)(db, ACTOR, view.id)
        else:
            continue
        print("ok", view.status, flush=True)


NEXT = {DrawStatus.PREPARED: lambda db, v: draws.record_witnesses(db, ACTOR, v.id, WITNESSES),
        DrawStatus.WITNESSED: lambda db, v: draws.reveal(db, ACTOR, v.id),
        DrawStatus.REVEALED: lambda db, v: draws.select_subjects(db, ACTOR, v.id),
        DrawStatus.SELECTED: lambda db, v: draws.match_teams(db, ACTOR, v.id),
        DrawStatus.MATCHED: lambda db, v: draws.finish(db, ACTOR, v.id)}


def _resume(db: Database, task_id: int, out: str) -> None:
    view = draws.live_draw(db, task_id)
    print("resumed", view.status, flush=True)
    while view.status != DrawStatus.FINISHED:
        view = NEXT[view.status](db, view)
    paths = draws.export_package(db, view.id, out)
    print("package", paths.folder, flush=True)


def main(argv: list[str]) -> int:
    command, url, task_id = argv[0], argv[1], int(argv[2])
    db = Database(url)
    try:
        if command == "steps":
            _steps(db, task_id)
        else:
            _resume(db, task_id, argv[3])
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
