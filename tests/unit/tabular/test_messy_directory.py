"""Issue 3 acceptance: a messy 20,000-row directory imports with exactly the errors and
warnings it contains, and nothing else; also when it arrives as a GBK CSV."""

import pytest
from messy_directory import CODE, DATE, NAME, write_messy_csv, write_messy_xlsx

from app.tabular import read_directory, write_validation_report


@pytest.fixture(scope="module")
def messy_xlsx(tmp_path_factory):
    return write_messy_xlsx(tmp_path_factory.mktemp("messy") / "市场主体名录.xlsx")


@pytest.fixture(scope="module")
def parsed(messy_xlsx):
    return read_directory(messy_xlsx.path)


def test_exactly_the_findings_it_contains(messy_xlsx, parsed):
    assert parsed.header_row == 4
    assert sorted((i.row, i.column, i.severity) for i in parsed.issues) == sorted(messy_xlsx.expected)
    kinds = {}
    for issue in parsed.issues:
        kinds[(issue.column, issue.severity)] = kinds.get((issue.column, issue.severity), 0) + 1
    assert kinds == {(CODE, "warning"): 80, (CODE, "error"): 40, (NAME, "error"): 20, (DATE, "error"): 25}


def test_counts(messy_xlsx, parsed):
    counts = parsed.counts
    assert counts.rows == messy_xlsx.data_rows == 20_000
    assert counts.rejected == len(messy_xlsx.rejected_rows) == 85
    assert counts.valid == 20_000 - 85
    assert (counts.errors, counts.warnings) == (85, 80)
    assert {r.row for r in parsed.rows if not r.ok} == messy_xlsx.rejected_rows


def test_values_survive_the_mess(messy_xlsx, parsed):
    rows = {r.row: r.values for r in parsed.rows}
    wrong = {
        n: (want, rows[n]) for n, want in messy_xlsx.values.items() if any(rows[n].get(k) != v for k, v in want.items())
    }
    assert wrong == {}
    formula_like = [v["name"] for v in rows.values() if (v["name"] or "").startswith("=")]
    assert len(formula_like) == 50


def test_duplicate_messages_name_both_rows(parsed):
    duplicates = [i for i in parsed.issues if "重复" in i.message]
    assert len(duplicates) == 40
    for issue in duplicates:
        assert f"第 {issue.row - 1} 行和第 {issue.row} 行重复" in issue.message


def test_validation_report(messy_xlsx, parsed, tmp_path):
    from python_calamine import CalamineWorkbook

    out = tmp_path / "校验报告.xlsx"
    write_validation_report(
        out,
        parsed.issues,
        source=messy_xlsx.path.name,
        sheet=parsed.sheet_name,
        rows=parsed.counts.rows,
        valid=parsed.counts.valid,
        rejected=parsed.counts.rejected,
    )
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["说明", "问题清单"]
    summary = dict(book.get_sheet_by_name("说明").to_python())
    assert (summary["数据行数"], summary["可导入行数"], summary["错误"], summary["警告"]) == (20000, 19915, 85, 80)
    detail = book.get_sheet_by_name("问题清单").to_python()
    assert detail[0] == ["行号", "列", "级别", "单元格内容", "问题说明"]
    assert len(detail) == 1 + 165
    assert [r[0] for r in detail[1:]] == sorted(r[0] for r in detail[1:])
    assert {r[2] for r in detail[1:]} == {"错误", "警告"}


def test_same_mess_as_gbk_csv(tmp_path):
    messy = write_messy_csv(tmp_path / "市场主体名录.csv")
    parsed = read_directory(messy.path)
    assert sorted((i.row, i.column, i.severity) for i in parsed.issues) == sorted(messy.expected)
    assert parsed.counts.rows == 20_000 and parsed.counts.rejected == 85
