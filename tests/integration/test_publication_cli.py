"""`calendar` and `publish` from the command line, on both databases; refusals exit 2 in Chinese."""

from __future__ import annotations

import pytest

import json
from datetime import date

from openpyxl import load_workbook

from app.cli import run_cli
from tests.actors import log_in_cli_as
from tests.integration.publication_data import build_county, inspect


pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


def test_calendar_due_warns_on_stderr_for_an_unconfirmed_year(database, capsys):
    assert run_cli(["--db", database.url, "calendar", "due", "2026-12-15", "20"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "2027-01-12（星期二）"
    assert "2027 年节假日安排尚未确认" in err
    assert run_cli(["--db", database.url, "calendar", "due", "2026-02-10", "10"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("2026-03-02") and err == ""


def test_calendar_mark_is_used_by_the_next_due(database, capsys, monkeypatch):
    log_in_cli_as(monkeypatch, "admin")  # the office's calendar is the administrator's
    assert run_cli(["--db", database.url, "calendar", "mark", "2027-01-01", "休", "--note", "元旦"]) == 0
    assert "已将 2027-01-01 标为“休”（元旦）" in capsys.readouterr().out
    assert run_cli(["--db", database.url, "calendar", "due", "2026-12-15", "20"]) == 0
    assert capsys.readouterr().out.startswith("2027-01-13")
    assert run_cli(["--db", database.url, "calendar", "mark", "2027-01-02", "假"]) == 2
    assert "“假”不是有效的标记" in capsys.readouterr().err


def test_publish_due_export_and_mark(database, capsys, tmp_path):
    county = build_county(database)
    inspect(database, county.inspection_ids[0], date(2026, 10, 20))
    assert run_cli(["--db", database.url, "publish", "due", "--json", "--today", "2026-10-21"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert [i["kind"] for i in due["已逾期"]] == ["年度计划", "抽取名单"]
    assert [i["kind"] for i in due["待公示"]] == ["检查结果"]
    listing = due["已逾期"][1]
    out = tmp_path / "名单.xlsx"
    assert run_cli(["--db", database.url, "publish", "export", "--task", str(county.task_id), "--kind", "名单",
                    "--out", str(out)]) == 0
    assert "（2 行）" in capsys.readouterr().out
    assert load_workbook(out).worksheets[0].max_row == 3
    assert run_cli(["--db", database.url, "publish", "export", "--task", str(county.surprise_task_id),
                    "--kind", "名单", "--out", str(out)]) == 2
    assert "突击检查" in capsys.readouterr().err
    ids = [str(i) for i in listing["ids"]]
    assert run_cli(["--db", database.url, "publish", "mark", *ids, "--on", "2026-10-21",
                    "--where", "国家企业信用信息公示系统"]) == 0
    assert "已标记 1 项" in capsys.readouterr().out
    assert run_cli(["--db", database.url, "publish", "due", "--today", "2026-10-21"]) == 0
    text = capsys.readouterr().out
    assert "【已逾期】1 项" in text and "抽取名单" not in text
    assert run_cli(["--db", database.url, "publish", "mark", *ids, "--on", "2026-10-21", "--where", "网站"]) == 2
    assert "错误：" in capsys.readouterr().err
