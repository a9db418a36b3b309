"""The command line as a clerk or a script uses it: exit codes and Chinese messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_demo_and_audit_verify(database, capsys):
    url = database.url
    assert run_cli(["--db", url, "self-test"]) == 0
    assert "自检通过" in capsys.readouterr().out
    assert run_cli(["--db", url, "demo", "create", "--subjects", "120"]) == 0
    assert "120 户" in capsys.readouterr().out
    assert run_cli(["--db", url, "audit", "verify"]) == 0
    assert "哈希链校验通过" in capsys.readouterr().out
    assert run_cli(["--db", url, "db", "current"]) == 0
    assert "最新" in capsys.readouterr().out


def test_demo_on_a_database_with_data_exits_2_and_changes_nothing(database, capsys):
    run_cli(["--db", database.url, "demo", "create", "--subjects", "30"])
    capsys.readouterr()
    assert run_cli(["--db", database.url, "demo", "create", "--subjects", "30"]) == 2
    assert "已有数据" in capsys.readouterr().err


def test_unreachable_server_exits_2_with_chinese_message(capsys):
    code = run_cli(["--db", "postgresql://nobody@127.0.0.1:1/none", "self-test"])
    assert code == 2
    assert "无法打开共享数据库（PostgreSQL）" in capsys.readouterr().err


def test_bad_arguments_exit_2():
    assert _run("demo", "create", "--subjects", "many").returncode == 2


def test_help_runs_as_a_module():
    result = _run("--help")
    assert result.returncode == 0
    assert "双随机工作台" in result.stdout


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT)
