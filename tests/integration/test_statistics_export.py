"""`python -m app stats`: the figures as JSON and as an xlsx whose charts are the workbook's own."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest

from app.cli import run_cli
from app.services.reports.statistics import year_statistics
from tests.actors import CLERK
from tests.integration import statistics_data


@pytest.fixture
def year_with_results(demo_county, tmp_path):
    db = demo_county(CLERK, subjects=400)
    return db, statistics_data.year_with_results(db, tmp_path / "包")


def test_the_workbook_has_its_tables_and_native_charts(year_with_results, tmp_path, capsys):
    db, year = year_with_results
    stats = year_statistics(db, year)
    out = tmp_path / "统计.xlsx"
    assert run_cli(["--db", db.url, "stats", "--year", str(year), "--out", str(out)]) == 0
    assert "已生成" in capsys.readouterr().out
    with zipfile.ZipFile(out) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        xml = [z.read(n).decode() for n in charts]
    assert any('grouping val="clustered"' in x for x in xml) and any('grouping val="stacked"' in x for x in xml)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["按月", "按部门", "按区域", "按检查结果", "覆盖与频次"]
    months = wb["按月"]
    assert [c.value for c in months["A"][1:13]] == [f"{m}月" for m in range(1, 13)]
    assert [months.cell(14, c).value for c in (2, 3, 4)] == [stats.total.drawn, stats.total.inspected,
                                                              stats.total.published]
    departments = {r[0]: r[1] for r in wb["按部门"].iter_rows(min_row=2, values_only=True)}
    assert departments == {**{r.key: r.drawn for r in stats.by_department}, "合计": stats.total.drawn}
    header = [c.value for c in wb["按检查结果"][1] if c.value is not None][1:]
    assert header == [r.key for r in stats.by_category]
    per_category = [sum(wb["按检查结果"].cell(m, c).value for m in range(2, 14)) for c in range(2, 2 + len(header))]
    assert per_category == [r.inspected for r in stats.by_category]


def test_json_gives_the_same_figures(year_with_results, capsys):
    db, year = year_with_results
    stats = year_statistics(db, year)
    assert run_cli(["--db", db.url, "stats", "--year", str(year), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["drawn"] == stats.total.drawn and data["total"]["completion"] == stats.total.completion
    assert [d["key"] for d in data["by_department"]] == [r.key for r in stats.by_department]
    assert data["check_items"] == {"enabled": stats.enabled_items, "covered": stats.covered_items,
                                   "coverage": stats.coverage}


def test_a_wrong_file_name_is_refused_in_chinese(demo_county, tmp_path, capsys):
    db = demo_county(CLERK, subjects=50)
    assert run_cli(["--db", db.url, "stats", "--year", "2026", "--out", str(tmp_path / "统计.csv")]) == 2
    assert "应以 .xlsx 结尾" in capsys.readouterr().err
