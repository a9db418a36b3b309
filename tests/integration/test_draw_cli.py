"""Drawing the sample county's tasks from the command line, and the refusals (exit 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import run_cli
from tests.actors import log_in_cli_as

ROOT = Path(__file__).resolve().parents[2]
DIGITS = ["--witness", "0123456789", "--witness", "00987654321"]


@pytest.fixture
def county(database, capsys, monkeypatch):
    assert run_cli(["--db", database.url, "demo", "create", "--subjects", "500"]) == 0
    capsys.readouterr()
    log_in_cli_as(monkeypatch)
    return database.url


def _tasks(url, capsys) -> list[dict]:
    assert run_cli(["--db", url, "tasks", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["tasks"]


def test_demo_has_three_undrawn_tasks_and_each_draws_and_verifies(county, capsys, tmp_path):
    tasks = _tasks(county, capsys)
    assert [t["drawn"] for t in tasks] == [False, False, False]
    assert "联合抽查" in tasks[2]["name"]
    for task in tasks:
        out = tmp_path / f"验证包{task['id']}"
        assert run_cli(["--db", county, "draw", "run", "--task", str(task["id"]), *DIGITS, "--out", str(out),
                        "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["subjects"] and all(len(team["members"]) >= 2 for team in result["teams"])
        assert run_cli(["draw", "verify", str(out)]) == 0
        assert capsys.readouterr().out.strip().endswith("通过")
    assert all(t["drawn"] for t in _tasks(county, capsys))


def test_joint_task_teams_take_one_member_from_each_department(county, capsys, tmp_path):
    joint = _tasks(county, capsys)[2]
    run_cli(["--db", county, "draw", "run", "--task", str(joint["id"]), *DIGITS, "--out", str(tmp_path / "p"),
             "--json"])
    teams = json.loads(capsys.readouterr().out)["teams"]
    assert all({m["department"] for m in t["members"]} == {"青禾县市场监督管理局", "青禾县卫生健康委员会"}
               for t in teams)


@pytest.mark.parametrize("arguments, message", [
    (["--witness", "0123456789"], "至少需要 20 位"),
    (["--witness", "01234abcde0123456789"], "只能是数字"),
])
def test_refusals_exit_2_with_chinese_messages(county, capsys, tmp_path, arguments, message):
    task = _tasks(county, capsys)[0]
    code = run_cli(["--db", county, "draw", "run", "--task", str(task["id"]), *arguments, "--out", str(tmp_path / "p")])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not _tasks(county, capsys)[0]["drawn"]


def test_a_drawn_task_is_refused(county, capsys, tmp_path):
    task = _tasks(county, capsys)[0]
    run_cli(["--db", county, "draw", "run", "--task", str(task["id"]), *DIGITS, "--out", str(tmp_path / "a")])
    capsys.readouterr()
    assert run_cli(["--db", county, "draw", "run", "--task", str(task["id"]), *DIGITS, "--out", str(tmp_path / "b")]) == 2
    assert "已经抽取" in capsys.readouterr().err


def test_an_unknown_task_is_refused(county, capsys, tmp_path):
    assert run_cli(["--db", county, "draw", "run", "--task", "999", *DIGITS, "--out", str(tmp_path / "p")]) == 2
    assert "tasks list" in capsys.readouterr().err


def test_verify_py_alone_in_an_empty_folder_verifies_the_package(county, capsys, tmp_path):
    task = _tasks(county, capsys)[1]
    package = tmp_path / "包"
    run_cli(["--db", county, "draw", "run", "--task", str(task["id"]), *DIGITS, "--out", str(package)])
    alone = tmp_path / "空文件夹"
    alone.mkdir()
    shutil.copy(package / "verify.py", alone / "verify.py")
    result = subprocess.run([sys.executable, "-I", "verify.py", str(package.with_suffix(".zip"))], cwd=alone,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("通过")
