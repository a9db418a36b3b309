"""季度、年度总结: the period's figures, the narrative written from them, and the .docx."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from app.cli import run_cli
from app.services.errors import UserError
from app.services.reports import summaries
from tests.actors import CLERK
from tests.integration import statistics_data
from tests.integration.statistics_data import independent, total_of

SCJ = "青禾县市场监督管理局"


@pytest.fixture
def year_with_results(demo_county, tmp_path):
    db = demo_county(CLERK, subjects=400)
    return db, statistics_data.year_with_results(db, tmp_path / "包")


def _figures(row):
    return (row.drawn, row.inspected, row.published, row.problems, row.follow_ups, row.closed, row.handed)


def test_the_quarter_of_the_draw_and_the_other_quarters(year_with_results):
    db, year = year_with_results
    mine = independent(db, year)
    quarter = (mine[0]["month"] - 1) // 3 + 1
    county = summaries.summary(db, year, quarter)
    assert _figures(county.total) == total_of(mine)
    assert _figures(summaries.summary(db, year, None, SCJ).total) == total_of([r for r in mine if r["department"] == SCJ])
    assert summaries.summary(db, year, quarter % 4 + 1).total.drawn == 0
    t = county.total
    text = "".join(summaries.narrative(county))
    assert f"共抽取检查对象 {t.drawn} 户，已完成检查 {t.inspected} 户" in text
    assert f"发现问题 {t.problems} 户" in text and f"移送相关部门 {t.handed} 户" in text
    assert f"尚有 {t.drawn - t.inspected} 户未完成检查" in text
    assert county.due_on == date(year, *summaries.QUARTER_DUE[quarter])
    quiet = summaries.summary(db, year, quarter % 4 + 1, "青禾县卫生健康委员会")
    assert summaries.narrative(quiet) == [f"{quiet.period}，青禾县卫生健康委员会未开展随机抽查。"]


def test_the_annual_summary_as_docx_from_the_command_line(year_with_results, tmp_path, capsys):
    db, year = year_with_results
    out = tmp_path / "年度总结.docx"
    assert run_cli(["--db", db.url, "report", "annual", "--department", SCJ, "--year", str(year),
                    "--out", str(out)]) == 0
    assert "12月20日" in capsys.readouterr().out
    doc = Document(out)
    paragraphs = [p.text for p in doc.paragraphs]
    figures = summaries.summary(db, year, None, SCJ)
    assert paragraphs[0] == f"{SCJ}{year}年“双随机、一公开”监管工作年度总结"
    assert all(line in paragraphs for line in summaries.narrative(figures))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == summaries.TABLE_HEAD
    assert rows[-1][:4] == ["合计", str(figures.total.drawn), str(figures.total.inspected),
                            str(figures.total.published)]
    assert not any(p.strip() == "" for p in paragraphs[2:-3]), "no blank paragraphs in the body"


def test_refusals(demo_county, tmp_path, capsys):
    db = demo_county(CLERK, subjects=50)
    with pytest.raises(UserError, match="没有名为"):
        summaries.summary(db, 2026, 1, "不存在的局")
    assert run_cli(["--db", db.url, "report", "quarterly", "--county", "--year", "2026", "--quarter", "2",
                    "--out", str(tmp_path / "x.pdf")]) == 2
    assert "应以 .docx 结尾" in capsys.readouterr().err
