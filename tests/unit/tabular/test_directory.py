"""Subject and inspector directories: header finding, mapping, per-row validation."""

import datetime as dt
import json

import pytest
from openpyxl import Workbook

from app.domain.credit_code import compute_check_char
from app.tabular import ColumnMapping, TabularError, guess_mapping, open_directory, read_directory


def code(serial: int) -> str:
    body = f"914601{serial:011d}"
    return body + compute_check_char(body)


def workbook(path, rows, merges=()):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def issues(parsed):
    return [(i.row, i.column, i.severity) for i in parsed.issues]


def test_mapping_guessed_from_other_systems_headers():
    mapping = guess_mapping(
        "subject",
        [
            "序号",
            "市场主体名称",
            "统一社会信用代码/注册号",
            "法定代表人（负责人）",
            "住所（经营场所）",
            "乡镇（街道）",
            "国民经济行业分类",
            "登记机关名称",
            "信用风险分类*",
            "列入经营异常名录",
            "备注",
        ],
    )
    assert mapping.columns == {
        "name": "市场主体名称",
        "credit_code": "统一社会信用代码/注册号",
        "legal_representative": "法定代表人（负责人）",
        "address": "住所（经营场所）",
        "region": "乡镇（街道）",
        "industry": "国民经济行业分类",
        "registration_authority": "登记机关名称",
        "risk_class": "信用风险分类*",
        "abnormal_operation": "列入经营异常名录",
    }
    inspectors = guess_mapping(
        "inspector", ["姓名", "性别", "所在单位", "科（股）室", "执法证件号码", "有效期至", "执法领域", "可担任组长"]
    )
    assert set(inspectors.columns) == {
        "name",
        "gender",
        "department",
        "office",
        "certificate_no",
        "certificate_expires_on",
        "qualifications",
        "can_lead",
    }


def test_mapping_json_round_trip_and_edit(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [["单位", "代码", "备注"], ["甲公司", code(1), "x"]])
    with pytest.raises(TabularError):
        read_directory(path)  # neither column is recognised
    mapping = ColumnMapping.from_json(
        json.dumps({"kind": "subject", "columns": {"name": "单位", "credit_code": "代码"}})
    )
    assert ColumnMapping.from_json(mapping.to_json()) == mapping
    parsed = read_directory(path, mapping=mapping)
    assert parsed.rows[0].values == {"name": "甲公司", "credit_code": code(1)}
    with pytest.raises(TabularError, match="找不到"):
        read_directory(path, mapping=ColumnMapping("subject", {"name": "企业名称", "credit_code": "代码"}))
    for bad in ("{", '{"kind": "x", "columns": {}}', '{"kind": "subject", "columns": {"nom": "单位"}}'):
        with pytest.raises(TabularError, match="列对应设置文件"):
            ColumnMapping.from_json(bad)


def test_title_rows_blank_rows_and_merged_cells(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        [
            ["某某县检查对象名录"],
            [],
            ["制表单位：某某县市场监督管理局", None, "日期：2025-12-01"],
            [],
            ["企业名称", "统一社会信用代码", "所属区域", "成立日期"],
            ["甲", code(1), "城关镇", dt.date(2020, 1, 2)],
            ["乙", code(2), None, "2020年3月4日"],
            [],
            ["  ", "\u3000"],
            ["丙", code(3), "东山乡", 43831],
            ["企业名称", "统一社会信用代码", "所属区域", "成立日期"],  # header repeated in a pasted export
            ["丁", code(4), None, None],
        ],
        merges=["A1:D1", "C6:C7"],
    )
    parsed = read_directory(path)
    assert parsed.header_row == 5
    assert [(r.row, r.values["name"], r.values["region"]) for r in parsed.rows] == [
        (6, "甲", "城关镇"),
        (7, "乙", "城关镇"),
        (10, "丙", "东山乡"),
        (12, "丁", None),
    ]
    assert [r.values["established_on"] for r in parsed.rows] == [
        dt.date(2020, 1, 2),
        dt.date(2020, 3, 4),
        dt.date(2020, 1, 1),
        None,
    ]
    assert parsed.issues == [] and parsed.counts.rows == 4 and parsed.counts.valid == 4


def test_two_row_header(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        [
            ["名称", "统一社会信用代码", "联系方式", None],
            [None, None, "电话", "地址"],
            ["甲", code(1), "0898-1234567", "某路1号"],
        ],
        merges=["A1:A2", "B1:B2", "C1:D1"],
    )
    parsed = read_directory(path)
    assert parsed.header_row == 2
    assert parsed.rows[0].values == {
        "name": "甲",
        "credit_code": code(1),
        "phone": "0898-1234567",
        "address": "某路1号",
    }


def test_identifiers(tmp_path):
    bad_check = code(5)[:17] + ("0" if code(5)[17] != "0" else "1")
    path = workbook(
        tmp_path / "a.xlsx",
        [
            ["企业名称", "统一社会信用代码", "注册号"],
            ["甲", code(1).lower(), None],  # normalised silently
            ["个体户乙", "460100000012345", None],  # a 注册号 in the code column
            ["丙", None, code(3)],  # a code in the 注册号 column
            ["丁", bad_check, None],  # warning only
            ["戊", "91460100ABC", None],  # not a code: error
            ["己", None, None],  # no identifier: error
            ["庚", 914601000000000000.0, None],  # stored as a number: digits lost
            ["辛", None, "4601000000123"],  # short 注册号: warning
            ["壬", code(1), None],  # duplicate of row 2
            ["癸", None, "460100000012345"],  # duplicate 注册号 of row 3
        ],
    )
    parsed = read_directory(path)
    values = {r.row: r.values for r in parsed.rows}
    assert values[2]["credit_code"] == code(1)
    assert (values[3]["credit_code"], values[3]["registration_no"]) == (None, "460100000012345")
    assert (values[4]["credit_code"], values[4]["registration_no"]) == (code(3), None)
    assert values[5]["credit_code"] == bad_check
    assert issues(parsed) == [
        (5, "统一社会信用代码", "warning"),
        (6, "统一社会信用代码", "error"),
        (7, "统一社会信用代码", "error"),
        (8, "统一社会信用代码", "error"),
        (9, "注册号", "warning"),
        (10, "统一社会信用代码", "error"),
        (11, "注册号", "error"),
    ]
    messages = [i.message for i in parsed.issues]
    assert "第18位应为" in messages[0] and "11位" in messages[1] and "至少填写其一" in messages[2]
    assert "存成了数字" in messages[3] and "第 2 行和第 10 行重复" in messages[5]
    assert "第 3 行和第 11 行重复" in messages[6]
    assert [r.ok for r in parsed.rows] == [True, True, True, True, False, False, False, True, False, False]
    assert (parsed.counts.rows, parsed.counts.valid, parsed.counts.rejected) == (10, 5, 5)
    assert (parsed.counts.errors, parsed.counts.warnings) == (5, 2)


def test_field_conversions(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "联系电话",
                "信用风险分类",
                "经营异常名录",
                "严重违法失信",
                "重点监管对象",
                "标签",
            ],
            ["甲", code(1), 13800138000, "较高风险", "是", "否", "√", "食品、餐饮；食品"],
            ["乙", code(2), "'=1+1", "d", None, "列入", "", None],
            ["丙", code(3), None, "很高", "也许", None, None, None],
        ],
    )
    parsed = read_directory(path)
    first, second, third = (r.values for r in parsed.rows)
    assert first["phone"] == "13800138000" and first["risk_class"] == "C"
    assert (first["abnormal_operation"], first["serious_violation"], first["key_supervision"]) == (True, False, True)
    assert first["tags"] == ["食品", "餐饮"] and second["tags"] == []
    assert second["phone"] == "=1+1"  # the apostrophe an export put there to stop Excel is taken off
    assert (second["risk_class"], second["abnormal_operation"], second["serious_violation"]) == ("D", False, True)
    assert third["risk_class"] is None
    assert issues(parsed) == [(4, "信用风险分类", "error"), (4, "经营异常名录", "error")]


def test_inspectors(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        [
            [
                "姓名",
                "性别",
                "部门",
                "人员类别",
                "执法证号",
                "执法证有效期",
                "执法领域",
                "业务专长",
                "可任组长",
                "在岗状态",
            ],
            [
                "张三",
                "男",
                "县市场监管局",
                "公务员",
                "46001",
                "2020-01-01至2026-12-31",
                "食品、特种设备",
                "食品",
                "是",
                "在职",
            ],
            ["李四", "女性", "县市场监管局", "事业编", "46002", dt.date(2027, 5, 1), None, None, "否", "病假"],
            ["王五", "未知", "县卫健委", "临时工", "46001", "长期", None, None, None, "出差"],
            ["", "男", None, None, None, None, None, None, None, None],
            ["赵六", None, "县卫健委", "专家", None, None, None, None, None, None],
            ["赵六", None, "县卫健委", "专家", None, None, None, None, None, None],
        ],
    )
    parsed = read_directory(path, kind="inspector")
    zhang, li = parsed.rows[0].values, parsed.rows[1].values
    assert zhang["category"] == "行政执法类公务员" and zhang["status"] == "在岗" and zhang["can_lead"] is True
    assert zhang["certificate_expires_on"] == dt.date(2026, 12, 31)
    assert zhang["qualifications"] == ["食品", "特种设备"]
    assert (li["gender"], li["category"], li["status"]) == ("女", "具有执法资格的事业编", "请假")
    assert issues(parsed) == [
        (4, "性别", "warning"),
        (4, "人员类别", "warning"),
        (4, "执法证有效期", "error"),
        (4, "在岗状态", "warning"),
        (4, "执法证号", "error"),
        (5, "姓名", "error"),
        (7, "姓名", "error"),
    ]
    assert "执法证号“46001”在第 2 行和第 4 行重复" in parsed.issues[4].message
    assert "县卫健委的“赵六”" in parsed.issues[6].message


@pytest.mark.parametrize(
    "encoding,delimiter", [("utf-8-sig", ","), ("gb18030", ","), ("gb18030", "\t"), ("utf-16", "\t"), ("utf-8", ";")]
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = tmp_path / "名录.csv"
    lines = [
        "某某县名录",
        "",
        delimiter.join(["企业名称", "统一社会信用代码", "住所"]),
        delimiter.join(["海口甲公司", code(1), "龙华区某路1号"]),
        delimiter.join(["乙", code(2), ""]),
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    parsed = read_directory(path)
    assert parsed.header_row == 3 and parsed.sheet_name == "名录"
    assert [r.values for r in parsed.rows] == [
        {"name": "海口甲公司", "credit_code": code(1), "address": "龙华区某路1号"},
        {"name": "乙", "credit_code": code(2), "address": None},
    ]


def test_preview_limit(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx", [["企业名称", "统一社会信用代码"]] + [[f"企业{i}", code(i)] for i in range(50)]
    )
    parsed = read_directory(path, limit=10)
    assert len(parsed.rows) == 10 and parsed.truncated


def test_streaming_keeps_memory_bounded(tmp_path):
    """Rows are produced one at a time: reading 50,000 rows costs far less memory than
    keeping them (the duplicate check keeps one small entry per code)."""
    import tracemalloc

    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("企业名称,统一社会信用代码,住所,联系电话,所属区域\n")
        for i in range(50_000):
            fh.write(f"某某县第{i}号商贸有限公司,{code(i)},某某县某某路{i}号,1380000{i % 10000:04d},城关镇\n")
    tracemalloc.start()
    reader = open_directory(path)
    count = sum(1 for _ in reader)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 50_000 and reader.counts.valid == 50_000
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize(
    "kind,label,field",
    [
        ("subject", "负责人电话", "phone"),
        ("subject", "法定代表人联系电话", "phone"),
        ("subject", "法定代表人身份证号", None),
        ("subject", "行业类型", "industry"),
        ("subject", "所属行业名称", "industry"),
        ("subject", "企业类型名称", "subject_type"),
        ("subject", "所属监管所", "region"),
        ("subject", "经营范围", None),
        ("subject", "注册资本", None),
        ("subject", "组织机构代码", None),
        ("subject", "是否为重点监管对象", "key_supervision"),
        ("inspector", "身份证号码", None),
        ("inspector", "执法证件号码", "certificate_no"),
        ("inspector", "单位名称", "department"),
    ],
)
def test_header_words(kind, label, field):
    assert guess_mapping(kind, [label]).columns == ({field: label} if field else {})


def test_hidden_and_empty_sheets_are_passed_over(tmp_path):
    book = Workbook()
    codes = book.active
    codes.title = "代码表"
    codes.append(["A", "低风险"])
    codes.sheet_state = "hidden"
    book.create_sheet("空白")
    data = book.create_sheet("名录")
    data.append(["企业名称", "统一社会信用代码"])
    data.append(["甲", code(1)])
    book.save(tmp_path / "a.xlsx")
    parsed = read_directory(tmp_path / "a.xlsx")
    assert parsed.sheet_name == "名录" and len(parsed.rows) == 1
    with pytest.raises(TabularError, match="找不到表头"):
        read_directory(tmp_path / "a.xlsx", sheet="代码表")


def test_merged_region_far_below_the_header(tmp_path):
    rows = [["企业名称", "统一社会信用代码", "所属区域"]] + [[f"企业{i}", code(i), "城关镇"] for i in range(60)]
    rows[40][2] = "东山乡"
    for i in range(41, 46):
        rows[i][2] = None
    parsed = read_directory(workbook(tmp_path / "a.xlsx", rows, merges=["C41:C46"]))
    regions = {r.row: r.values["region"] for r in parsed.rows}
    assert [regions[n] for n in range(40, 48)] == ["城关镇"] + ["东山乡"] * 6 + ["城关镇"]


def test_sample_for_the_mapping_step(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [["标题"], ["企业名称", "统一社会信用代码", "备注"], ["甲", code(1), 3.0]])
    parsed = read_directory(path)
    assert parsed.sheet_names == ["Sheet"]
    assert parsed.headers == ["企业名称", "统一社会信用代码", "备注"]
    assert parsed.sample == [(3, ["甲", code(1), "3"])]
