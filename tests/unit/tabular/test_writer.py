"""Exports never hand Excel or WPS a cell it would execute, and re-import to the same values."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.domain.credit_code import compute_check_char
from app.tabular import export_directory, neutralise, read_directory, write_table

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 13800138000", "'+86 13800138000"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("-", "'-"),
        ("-12.5", "-12.5"),
        ("+86", "+86"),
        ("普通文字", "普通文字"),
        ("a=b", "a=b"),
        ("", ""),
        (12, 12),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@given(st.text(min_size=1, max_size=20))
def test_no_text_leaves_executable(text):
    safe = neutralise(text)
    assert not safe.startswith(DANGEROUS) or safe.lstrip("+-").replace(".", "", 1).isdigit()


def test_written_cells_are_text_not_formulas(tmp_path):
    out = tmp_path / "t.xlsx"
    rows = [['=HYPERLINK("http://x.invalid","点")', "+1", "-1", "@A1", "\t=2", "正常", 3, dt.date(2024, 5, 6)]]
    assert write_table(out, ["=表头", "B", "C", "D", "E", "F", "G", "H"], rows) == 1
    sheet = load_workbook(out).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value not in ("+1", "-1"):  # plain numbers stay
                assert not cell.value.startswith(DANGEROUS)
    assert sheet["A1"].value == "'=表头"
    assert (sheet["B2"].value, sheet["C2"].value, sheet["D2"].value) == ("+1", "-1", "'@A1")
    assert sheet["H2"].value == dt.datetime(2024, 5, 6) and sheet["H2"].number_format == "yyyy-mm-dd"


def _code(n):
    body = f"914601{n:011d}"
    return body + compute_check_char(body)


def test_subject_export_round_trip(tmp_path):
    records = [
        {
            "credit_code": _code(1),
            "registration_no": None,
            "name": "=cmd|'/c calc'!A0",
            "subject_type": "有限责任公司",
            "legal_representative": "-张三",
            "phone": "+86 898 1234567",
            "address": "@某路1号",
            "region": "城关镇",
            "industry": "批发业",
            "registration_status": "存续",
            "established_on": dt.date(2019, 3, 5),
            "registration_authority": "某某县市场监督管理局",
            "risk_class": "C",
            "abnormal_operation": True,
            "serious_violation": False,
            "key_supervision": True,
            "tags": ["食品", "餐饮"],
        },
        {
            "credit_code": None,
            "registration_no": "460100000012345",
            "name": "个体户",
            "subject_type": None,
            "legal_representative": None,
            "phone": None,
            "address": None,
            "region": None,
            "industry": None,
            "registration_status": None,
            "established_on": None,
            "registration_authority": None,
            "risk_class": None,
            "abnormal_operation": False,
            "serious_violation": False,
            "key_supervision": False,
            "tags": [],
        },
    ]
    out = tmp_path / "检查对象.xlsx"
    assert export_directory(out, "subject", records) == 2
    parsed = read_directory(out)
    assert parsed.issues == []
    assert [r.values for r in parsed.rows] == records


def test_inspector_export_round_trip(tmp_path):
    record = {
        "name": "张三",
        "gender": "男",
        "department": "县市场监管局",
        "office": "执法大队",
        "position": "科员",
        "category": "行政执法类公务员",
        "certificate_no": "46001",
        "certificate_expires_on": dt.date(2027, 1, 31),
        "qualifications": ["食品", "特种设备"],
        "specialities": ["计量"],
        "can_lead": True,
        "status": "在岗",
        "phone": "13800138000",
    }
    out = tmp_path / "人员.xlsx"
    export_directory(out, "inspector", [record])
    parsed = read_directory(out, kind="inspector")
    assert parsed.issues == [] and parsed.rows[0].values == record
