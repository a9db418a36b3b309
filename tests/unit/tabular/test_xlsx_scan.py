"""The look at an xlsx sheet before calamine reads it: the cell budget, formulas and errors."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.tabular.xlsx_scan import CELL_BUDGET, MAX_ROWS, TooLarge, column_number, scan_sheet, sheet_parts
from tests.data.hostile.make_hostile import cell_ref, write_xlsx


def _scan(path):
    with zipfile.ZipFile(path) as archive:
        return scan_sheet(archive, sheet_parts(archive)["表"])


def test_one_cell_at_xfd1048576_is_too_large(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"表": {(1, 0): "名称", (1_048_576, 16_383): "x"}})
    with pytest.raises(TooLarge) as caught:
        _scan(path)
    assert (caught.value.rows, caught.value.columns, caught.value.far_cell) == (1_048_576, 16_384, "XFD1048576")


def test_a_wide_sheet_within_the_budget_passes(tmp_path):
    cells = {(row, col): f"{row}-{col}" for row in range(1, 40) for col in range(0, 120, 7)}
    assert _scan(write_xlsx(tmp_path / "a.xlsx", {"表": cells})).formulas == {}


def test_the_budget_counts_the_span_of_written_cells_not_the_sheet_size(tmp_path):
    # 26 columns down to the last row is within the budget; one more column to the right is not
    assert 26 * MAX_ROWS <= CELL_BUDGET < 29 * MAX_ROWS
    _scan(write_xlsx(tmp_path / "ok.xlsx", {"表": {(1, 0): "a", (MAX_ROWS, 25): "z"}}))
    with pytest.raises(TooLarge):
        _scan(write_xlsx(tmp_path / "no.xlsx", {"表": {(1, 0): "a", (MAX_ROWS, 28): "z"}}))


def test_cells_without_an_address_are_counted_as_calamine_counts_them(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"表": {(1, 0): "a"}})
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    row = f'<row r="{MAX_ROWS}">' + "<c><v>1</v></c>" * 100 + "</row>"
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"</sheetData>", row.encode() + b"</sheetData>")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(TooLarge) as caught:
        _scan(path)
    assert caught.value.far_cell == f"CV{MAX_ROWS}"


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(1, 3000), st.integers(0, 60)),
                       st.sampled_from(["text", "formula", "cached", "error"]), min_size=1, max_size=40))
def test_formulas_and_errors_are_found_wherever_they_are(tmp_path_factory, kinds):
    values = {"text": "文字", "formula": ("formula", "A1*2", None), "cached": ("formula", "A1*2", 7),
              "error": ("error", "#REF!")}
    path = write_xlsx(tmp_path_factory.mktemp("x") / "a.xlsx", {"表": {cell: values[k] for cell, k in kinds.items()}})
    scan = _scan(path)
    assert scan.formulas == {cell: k == "cached" for cell, k in kinds.items() if k in ("formula", "cached")}
    assert scan.errors == {cell: "#REF!" for cell, k in kinds.items() if k == "error"}


@given(st.integers(0, 16_383))
def test_column_letters_round_trip(col):
    assert column_number(cell_ref(1, col)[:-1]) == col + 1
