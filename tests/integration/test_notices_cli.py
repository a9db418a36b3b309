"""python -m app notices … / archive …: issue, print, check, void, register, export and verify; errors exit 2."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from app.cli import run_cli
from tests.integration.notice_county import approved_task

pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


def test_notices_from_issue_to_archive_on_the_command_line(database, tmp_path, capsys):
    task_id, _ = approved_task(database, tmp_path / "包")
    db = ["--db", database.url]
    assert run_cli([*db, "notices", "issue", "--task", str(task_id), "--json"]) == 0
    issued = json.loads(capsys.readouterr().out)
    year = issued[0]["文号"].split("〔")[1][:4]
    assert [n["文号"] for n in issued] == [f"禾市监抽告〔{year}〕{i}号" for i in range(1, 11)]

    assert run_cli([*db, "notices", "issue", "--task", str(task_id)]) == 2
    assert "没有可出具" in capsys.readouterr().err

    out = tmp_path / "告知书.docx"
    assert run_cli([*db, "notices", "print", "--task", str(task_id), "--out", str(out)]) == 0 and out.is_file()
    assert run_cli([*db, "notices", "check", issued[0]["二维码"]]) == 0
    assert "与登记簿一致" in capsys.readouterr().out
    assert run_cli([*db, "notices", "void", issued[0]["文号"], "--reason", "对象名称错误"]) == 0
    assert run_cli([*db, "notices", "check", issued[0]["二维码"]]) == 1
    assert "已作废" in capsys.readouterr().out
    assert run_cli([*db, "notices", "void", "不存在的文号", "--reason", "x"]) == 2
    assert "登记簿中没有" in capsys.readouterr().err

    book = tmp_path / "登记簿.xlsx"
    assert run_cli([*db, "notices", "register", "--year", year, "--out", str(book)]) == 0
    assert load_workbook(book).active.max_row == 2 + 11  # title, header, ten notices and the draw record

    folder = tmp_path / "档案"
    assert run_cli([*db, "archive", "export", "--task", str(task_id), "--out", str(folder)]) == 0
    assert run_cli(["archive", "verify", str(folder)]) == 0
    target = next(folder.glob("*/*/检查结果.json"))
    target.write_text(target.read_text(encoding="utf-8") + " ", encoding="utf-8")
    capsys.readouterr()
    assert run_cli(["archive", "verify", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"文件已被修改：{target.parent.name}/检查结果.json" in err and "不通过" in err
