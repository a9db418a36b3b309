"""The command line after a power cut: `draw run` killed right after each committed step is finished
by `draw resume`, whose package verifies; `draw export`, `draw abandon`, the --out check, named
witnesses, `tasks list` telling 抽取中 from 已抽取, and two `draw run` racing — both backends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.domain.statuses import DrawStatus
from app.cli import run_cli
from app.domain.draw import verify_package
from app.services.draw import ceremony as draws
pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


ROOT = Path(__file__).resolve().parents[2]
WITNESSES = ["--witness", "张纪检:0123456789", "--witness", "00987654321"]
STEPS = ["start_draw", "record_witnesses", "reveal", "select_subjects", "match_teams", "finish"]


@pytest.fixture
def county(database, capsys):
    assert run_cli(["--db", database.url, "demo", "create", "--subjects", "300"]) == 0
    capsys.readouterr()
    return database


def _python(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _tasks(url: str, capsys) -> list[dict]:
    assert run_cli(["--db", url, "tasks", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["tasks"]


@pytest.mark.parametrize("killed_after", STEPS)
def test_draw_run_killed_after_each_step_is_finished_by_draw_resume(county, capsys, tmp_path, killed_after):
    task = _tasks(county.url, capsys)[0]
    out = tmp_path / "验证包"
    killed = _python("-m", "tests.integration.cli_killer", killed_after, "--", "--db", county.url, "draw", "run",
                     "--task", str(task["id"]), *WITNESSES, "--out", str(out))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not out.exists()
    listed = _tasks(county.url, capsys)[0]
    assert listed["state"] == ("已抽取" if killed_after == "finish" else "抽取中")
    seed = draws.live_draw(county, task["id"]).public.get("seed")

    again = ["--witness", "张纪检:0123456789", "--witness", "00987654321"] if killed_after == "start_draw" else []
    resumed = _python("-m", "app", "--db", county.url, "draw", "resume", "--task", str(task["id"]), *again,
                      "--out", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr
    assert verify_package(out).passed and verify_package(out.with_suffix(".zip")).passed
    view = draws.live_draw(county, task["id"])
    assert view.status == DrawStatus.FINISHED and (not seed or view.public["seed"] == seed)
    assert [(w.name, w.digits) for w in view.witnesses] == [("张纪检", "0123456789"), ("（未署名）", "00987654321")]
    assert _tasks(county.url, capsys)[0]["state"] == "已抽取"


def test_resume_refuses_new_witnesses_once_locked_and_needs_them_before(county, capsys, tmp_path):
    task = _tasks(county.url, capsys)[0]
    killed = _python("-m", "tests.integration.cli_killer", "start_draw", "--", "--db", county.url, "draw", "run",
                     "--task", str(task["id"]), *WITNESSES, "--out", str(tmp_path / "p"))
    assert killed.returncode == -signal.SIGKILL
    resume = ["--db", county.url, "draw", "resume", "--task", str(task["id"]), "--out", str(tmp_path / "p")]
    assert run_cli(resume) == 2 and "--witness" in capsys.readouterr().err
    assert run_cli([*resume, *WITNESSES]) == 0
    capsys.readouterr()
    assert run_cli([*resume[:-1], str(tmp_path / "q"), *WITNESSES]) == 2
    assert "早已锁定" in capsys.readouterr().err


def test_draw_abandon_is_refused_after_the_witnesses_and_allowed_before(county, capsys, tmp_path):
    task = _tasks(county.url, capsys)[0]
    abandon = ["--db", county.url, "draw", "abandon", "--task", str(task["id"]), "--reason", "见证人未到场"]
    _python("-m", "tests.integration.cli_killer", "start_draw", "--", "--db", county.url, "draw", "run",
            "--task", str(task["id"]), *WITNESSES, "--out", str(tmp_path / "p"))
    assert run_cli(abandon) == 0
    capsys.readouterr()
    killed = _python("-m", "tests.integration.cli_killer", "record_witnesses", "--", "--db", county.url, "draw",
                     "run", "--task", str(task["id"]), *WITNESSES, "--out", str(tmp_path / "p"))
    assert killed.returncode == -signal.SIGKILL
    assert run_cli(abandon) == 2
    assert "不能放弃" in capsys.readouterr().err
    assert run_cli(["--db", county.url, "draw", "resume", "--task", str(task["id"]), "--out", str(tmp_path / "p")]) == 0
    capsys.readouterr()
    record = json.loads((tmp_path / "p" / "draw.json").read_text(encoding="utf-8"))
    assert [a["reason"] for a in record["attempts"]] == ["见证人未到场"]


def test_draw_export_writes_a_final_draws_package_again(county, capsys, tmp_path):
    task = _tasks(county.url, capsys)[1]
    export = ["--db", county.url, "draw", "export", "--task", str(task["id"]), "--out"]
    assert run_cli([*export, str(tmp_path / "早")]) == 2 and "还没有抽取" in capsys.readouterr().err
    assert run_cli(["--db", county.url, "draw", "run", "--task", str(task["id"]), *WITNESSES,
                    "--out", str(tmp_path / "首次")]) == 0
    capsys.readouterr()
    assert run_cli([*export, str(tmp_path / "再次")]) == 0
    assert "通过" in capsys.readouterr().out
    assert (tmp_path / "再次" / "draw.json").read_bytes() == (tmp_path / "首次" / "draw.json").read_bytes()
    assert run_cli([*export, str(tmp_path / "再次")]) == 2 and "不是空文件夹" in capsys.readouterr().err


def test_an_unwritable_out_is_refused_before_anything_is_committed(county, capsys, tmp_path):
    task = _tasks(county.url, capsys)[0]
    busy = tmp_path / "有文件的文件夹"
    busy.mkdir()
    (busy / "旧文件.txt").write_text("x")
    blocker = tmp_path / "是个文件"
    blocker.write_text("x")
    for out, message in ((busy, "不是空文件夹"), (blocker / "验证包", "不存在")):
        assert run_cli(["--db", county.url, "draw", "run", "--task", str(task["id"]), *WITNESSES,
                        "--out", str(out)]) == 2
        assert message in capsys.readouterr().err
    assert _tasks(county.url, capsys)[0]["state"] == "未抽取"
    assert draws.live_draw(county, task["id"]) is None


def test_witness_names_and_refusals(county, capsys, tmp_path):
    task = _tasks(county.url, capsys)[0]
    run = ["--db", county.url, "draw", "run", "--task", str(task["id"]), "--out", str(tmp_path / "p")]
    assert run_cli([*run, "--witness", ":01234567890123456789"]) == 2 and "姓名为空" in capsys.readouterr().err
    assert run_cli([*run, "--witness", "张三:０１２３４５６７８９０１２３４５６７８９"]) == 2
    assert "只能是数字" in capsys.readouterr().err
    assert run_cli([*run, "--witness", "张三：01234567890", "--witness", "李四:0123456789"]) == 0
    capsys.readouterr()
    view = draws.live_draw(county, task["id"])
    assert [w.name for w in view.witnesses] == ["张三", "李四"]


def test_two_draw_runs_on_one_task_one_wins_the_other_is_told_in_chinese(county, capsys, tmp_path):
    task = _tasks(county.url, capsys)[0]

    def run(n: int) -> subprocess.CompletedProcess:
        return _python("-m", "app", "--db", county.url, "draw", "run", "--task", str(task["id"]), *WITNESSES,
                       "--out", str(tmp_path / f"包{n}"))

    for _ in range(2):  # twice: the race is won at different moments
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(run, range(2)))
        codes = sorted(r.returncode for r in results)
        assert codes in ([0, 2], [2, 2]), [r.stderr for r in results]
        for r in results:
            assert "Traceback" not in r.stderr
            if r.returncode == 2:
                assert "正由" in r.stderr or "已经抽取" in r.stderr, r.stderr
        tmp_path = tmp_path / "再来"
        tmp_path.mkdir()
