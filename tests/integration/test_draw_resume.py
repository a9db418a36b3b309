"""Durability of the draw: a process killed between steps resumes in a new one; two PCs, one draw.

The draw runs in a subprocess (tests/integration/draw_steps.py) that is SIGKILLed — no
cleanup, no rollback hooks, as in a power cut — right after a step has returned. A new
process picks the draw up with live_draw and completes it; the exported package verifies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.statuses import DrawStatus
from app.db.models import Draw, DrawStep
from app.db.session import Database
from app.domain.draw import verify_package
from app.services.draw import ceremony as draws
from app.services.errors import UserError
from app.domain.accounts import Actor
from tests.actors import CLERK, CLERK2

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["start", "witnesses", "reveal", "select_subjects", "match_teams"]


@pytest.fixture
def county(demo_county):
    return demo_county(CLERK, subjects=300, today=date(2026, 11, 23))


def _run(*args: str, stdin=None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.integration.draw_steps", *args], cwd=ROOT, env=env,
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("killed_after, status", [
    ("start", DrawStatus.PREPARED), ("witnesses", DrawStatus.WITNESSED), ("reveal", DrawStatus.REVEALED),
    ("select_subjects", DrawStatus.SELECTED),
])
def test_killed_between_steps_resumes_in_a_new_process(county, tmp_path, killed_after, status):
    task_id = draws.task_draw_states(county)[0].id
    runner = _run("steps", county.url, str(task_id), stdin=subprocess.PIPE)
    try:
        for step in STEPS[:STEPS.index(killed_after) + 1]:
            runner.stdin.write(step + "\n")
            runner.stdin.flush()
            assert runner.stdout.readline().split() == ["ok", draws.get_draw(county, _draw_id(county)).status]
        os.kill(runner.pid, signal.SIGKILL)  # the power cut: the process gets no chance to clean up
        runner.wait(timeout=30)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert runner.returncode == -signal.SIGKILL
    view = draws.live_draw(county, task_id)
    assert view.status == status
    seed_before = view.public.get("seed")

    out = tmp_path / "验证包"
    resumed = _run("resume", county.url, str(task_id), str(out))
    stdout, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr
    assert stdout.splitlines()[0] == f"resumed {status}"
    final = draws.get_draw(county, view.id)
    assert final.status == DrawStatus.FINISHED
    if seed_before:  # a revealed draw carries on with the same seed: it cannot be run again
        assert final.public["seed"] == seed_before
    assert verify_package(out).passed
    with county.session() as session:
        assert session.scalar(select(func.count()).select_from(Draw)) == 1
        steps = session.scalars(select(DrawStep.step).order_by(DrawStep.seq)).all()
    assert steps == ["准备", "见证人录入", "揭示", "抽取对象", "匹配人员", "完成"]


def _draw_id(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.max(Draw.id)))


def test_a_revealed_draw_cannot_be_started_again_or_abandoned(county):
    task_id = draws.task_draw_states(county)[0].id
    runner = _run("steps", county.url, str(task_id), stdin=subprocess.PIPE)
    stdout, _ = runner.communicate("start\nwitnesses\nreveal\n", timeout=120)
    assert stdout.split()[-1] == DrawStatus.REVEALED
    with pytest.raises(UserError, match="已经抽取"):
        draws.start_draw(county, CLERK2, task_id)
    with pytest.raises(UserError, match="不能放弃"):
        draws.abandon(county, CLERK, draws.live_draw(county, task_id).id, "想重新抽")


def test_two_pcs_start_the_same_task_exactly_one_proceeds(county, backend):
    if backend != "postgresql":
        pytest.skip("two PCs share a PostgreSQL server; SQLite is one PC's own file")
    task_id = draws.task_draw_states(county)[0].id
    pcs = {replace(CLERK, pc="市监局-PC1"): Database(county.url), replace(CLERK2, pc="市监局-PC2"): Database(county.url)}
    barrier = threading.Barrier(len(pcs))
    results: dict[str, object] = {}

    def run(actor: Actor, db: Database) -> None:
        barrier.wait()
        try:
            results[actor] = draws.start_draw(db, actor, task_id)
        except UserError as exc:
            results[actor] = exc

    threads = [threading.Thread(target=run, args=item) for item in pcs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for db in pcs.values():
        db.dispose()
    winners = [draws.machine_holder(a) for a, r in results.items() if isinstance(r, draws.DrawView)]
    losers = [r for r in results.values() if isinstance(r, UserError)]
    assert len(winners) == 1 and len(losers) == 1
    assert winners[0] in str(losers[0]) and "正由" in str(losers[0])
    with county.session() as session:
        live = session.scalars(select(Draw).where(Draw.status != DrawStatus.ABANDONED)).all()
    assert [d.holder for d in live] == winners


def test_two_processes_start_the_same_task_exactly_one_proceeds(county, backend):
    if backend != "postgresql":
        pytest.skip("two PCs share a PostgreSQL server; SQLite is one PC's own file")
    task_id = draws.task_draw_states(county)[0].id
    runners = [_run("steps", county.url, str(task_id), stdin=subprocess.PIPE) for _ in range(2)]
    outcomes = [r.communicate("start\n", timeout=120) for r in runners]
    proceeded = [out for out, _ in outcomes if out.startswith("ok")]
    refused = [err for _, err in outcomes if "正由" in err]
    assert len(proceeded) == 1 and len(refused) == 1
    assert f"{CLERK.name}@会议室电脑" in refused[0]
