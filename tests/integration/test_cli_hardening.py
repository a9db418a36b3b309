"""The command line facing hostile files, wrong paths and the unexpected: a Chinese line on
stderr, exit status 2, nothing changed and no folder created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import run_cli
from tests.data.hostile.make_hostile import build

pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("hostile"))


def _run(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHUANGSUIJI_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_xfd1048576_workbook_ends_in_a_message_not_a_killed_process(corpus, tmp_path):
    from app.services.accounts.users import create_demo_accounts
    from app.services.system.database import open_database

    url = f"sqlite:///{(tmp_path / 'w.sqlite3').as_posix()}"
    db = open_database(url)
    create_demo_accounts(db)
    db.dispose()
    result = _run("--db", url, "subjects", "import", str(corpus["far_cell.xlsx"]), data=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "XFD1048576" in result.stderr and "Traceback" not in result.stderr


def test_sheet_option_reads_the_named_sheet(database, corpus, capsys):
    path = str(corpus["note_sheet_first.xlsx"])
    assert run_cli(["--db", database.url, "subjects", "import", path]) == 2
    assert "该文件的工作表有：说明、名录" in capsys.readouterr().err
    assert run_cli(["--db", database.url, "subjects", "import", path, "--sheet", "名录"]) == 0
    assert "新增 1 户" in capsys.readouterr().out


def test_items_import_prints_the_warnings_naming_the_cell(database, corpus, capsys):
    assert run_cli(["--db", database.url, "items", "import", str(corpus["items_cached_formula.xlsx"])]) == 0
    assert "警告：第 3 行「序号」：单元格 A3 是公式" in capsys.readouterr().err


def test_db_pointing_at_a_file_that_is_not_a_database(tmp_path, capsys):
    notes = tmp_path / "说明.txt"
    notes.write_text("这不是数据库" * 200, encoding="utf-8")
    assert run_cli(["--db", f"sqlite:///{notes.as_posix()}", "tasks", "list"]) == 2
    assert "不是本程序的数据库文件" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8") == "这不是数据库" * 200


def test_db_in_a_folder_that_does_not_exist_creates_no_folder(tmp_path, capsys):
    missing = tmp_path / "没有这个文件夹"
    assert run_cli(["--db", f"sqlite:///{(missing / 'w.sqlite3').as_posix()}", "tasks", "list"]) == 2
    assert "不存在" in capsys.readouterr().err
    assert not missing.exists()


def test_export_to_a_missing_folder_creates_nothing(database, tmp_path, capsys):
    missing = tmp_path / "没有这个文件夹"
    assert run_cli(["--db", database.url, "subjects", "export", str(missing / "导出.xlsx")]) == 2
    assert f"文件夹“{missing}”不存在" in capsys.readouterr().err
    assert not missing.exists()


def test_export_to_a_path_that_cannot_be_written(database, tmp_path, capsys):
    blocker = tmp_path / "一个文件"
    blocker.write_text("x")
    assert run_cli(["--db", database.url, "inspectors", "export", str(blocker / "导出.xlsx")]) == 2
    assert "不存在" in capsys.readouterr().err
    assert run_cli(["--db", database.url, "inspectors", "export", str(tmp_path)]) == 2
    assert "是一个文件夹" in capsys.readouterr().err


def test_draw_verify_on_a_missing_path_says_not_found(tmp_path, capsys):
    assert run_cli(["draw", "verify", str(tmp_path / "没有的验证包")]) == 2
    err = capsys.readouterr().err
    assert "找不到验证包" in err and "不通过" not in err


def test_an_unexpected_error_exits_2_with_the_log_path(database, monkeypatch, capsys):
    from app import config
    from app.services.draw import ceremony as draws
    def broken(db):
        raise RuntimeError("模拟的程序缺陷")

    monkeypatch.setattr(draws, "task_draw_states", broken)
    assert run_cli(["--db", database.url, "tasks", "list"]) == 2
    err = capsys.readouterr().err
    log = config.data_dir() / "logs" / "shuangsuiji.log"
    assert f"详细信息已写入日志：{log}" in err and "Traceback" not in err
    assert "RuntimeError: 模拟的程序缺陷" in log.read_text(encoding="utf-8")
