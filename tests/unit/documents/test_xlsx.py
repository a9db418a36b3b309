"""The 月报表 (exactly the seed's attachment) and the 抽查结果公示表."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from app.documents import bundled_forms_dir

ATTACHMENT_ROWS = [  # seeds/001_7c41e345c26fe7dd.txt, the 附件, row by row (A, B, C), without its empty lines
    ("1", "本月召开会议部署随机抽查工作情况", "（注明召开会议的名称及时间）（本月）"),
    ("2", "本月印发双随机工作文件情况", "（注明文件名称及文号）（本月）"),
    ("3", "本月组织随机抽查业务培训情况", "（培训班名称、培训人员数量、及内容）（本月）"),
    ("二、本部门本月“双随机、一公开”监管工作开展情况", None, None),
    ("4", "本月按年度随机抽查工作计划市本级开展随机抽查情况", None),
    (None, "本月组织随机抽查的文件", None),
    (None, "随机抽查对象范围、数量、抽查比例", None),
    (None, "随机抽查的检查事项", "（多少大项、多少小项）"),
    (None, "随机抽查结果公示情况", "（注明抽查结果公示的网站及公示数量）"),
    ("5", "全市本系统本月开展随机抽查情况", None),
    (None, "（开展的单位及抽查检查主体数量及抽查结果公示数量等情况）", None),
]


def _row(ws, r):
    return tuple(ws.cell(r, c).value for c in (1, 2, 3))


def test_blank_monthly_report_is_the_attachment(store, tmp_path):
    out = store.load("monthly_report").render({"工作表名称": "2026年11月"}, tmp_path / "m.xlsx")
    ws = load_workbook(out)["2026年11月"]
    assert ws["A1"].value == "附件"
    assert ws["A2"].value == "部门“双随机、一公开”监管工作月报表"
    assert ws["A3"].value == "单位名称（盖章）："
    assert ws["C3"].value == "填表时间：    年  月  日"
    assert ws["A4"].value == "一、本部门本月“双随机、一公开”监管工作安排部署情况"
    assert [_row(ws, r) for r in range(5, 16)] == ATTACHMENT_ROWS
    assert ws["A16"].value.startswith("联系人：") and "联系电话：" in ws["A16"].value
    assert ws["C16"].value == "手机："
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:C2", "A4:C4", "A8:C8", "B9:C9", "B14:C14", "B15:C15"} <= merged
    assert ws["C5"].font.name == "仿宋_GB2312" and ws["C5"].border.left.style == "thin"


def test_a_county_report_says_county_not_city(store, tmp_path):
    out = store.load("monthly_report").render({"工作表名称": "2026年11月", "本级": "县"}, tmp_path / "m.xlsx")
    ws = load_workbook(out)["2026年11月"]
    assert ws["B9"].value == "本月按年度随机抽查工作计划县本级开展随机抽查情况"
    assert ws["B14"].value == "全县本系统本月开展随机抽查情况"
    assert not any("市" in str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_one_sheet_per_month_with_computed_parts(store, tmp_path):
    months = [{"工作表名称": f"2026年{m}月", "单位名称": "馆陶县卫生健康局", "填表年": 2026,
               "填表月": m + 1 if m < 12 else 1, "填表日": 15,
               "对象范围数量比例": f"医疗机构 120 户，抽取 {m} 户，{m / 120:.1%}",
               "检查事项情况": "共 3 大项、12 小项", "公示情况": "国家企业信用信息公示系统，公示 6 条",
               "会议情况": "2026年11月5日 双随机工作部署会", "联系人": "王可"} for m in (10, 11)]
    out = store.load("monthly_report").render_batch(months, tmp_path / "m.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["2026年10月", "2026年11月"]
    ws = wb["2026年11月"]
    assert ws["A3"].value == "单位名称（盖章）：馆陶县卫生健康局"
    assert ws["C3"].value == "填表时间：2026年12月15日"
    assert ws["C11"].value.startswith("医疗机构 120 户，抽取 11 户")
    assert ws["C12"].value == "共 3 大项、12 小项"
    assert ws["C5"].value == "2026年11月5日 双随机工作部署会"
    assert ws["C6"].value == "（注明文件名称及文号）（本月）"  # not given: the hint stays


def _result(i, **over):
    row = {"序号": i, "检查对象": f"馆陶县第{i}食品厂", "统一社会信用代码": "91130433MA0A1B2C3D",
           "抽查类型": "本部门抽查", "检查事项": "食品生产者生产条件检查", "检查实施机关": "馆陶县市场监督管理局",
           "检查完成日期": dt.date(2026, 11, 3), "检查结果": "未发现问题", "后续处置": "无需处置"}
    row.update(over)
    return row


def test_publication_rows_repeat_and_stay_safe(store, tmp_path):
    rows = [_result(i) for i in range(1, 6)]
    rows[1]["检查对象"] = "=HYPERLINK(\"http://x\")"
    rows[2]["检查对象"] = "{{ 部门名称 }}有限公司"
    data = {"部门名称": "馆陶县市场监督管理局", "工作表名称": "馆市监抽查〔2026〕3号",
            "任务名称": "2026年度食品生产企业监督检查", "任务编号": "馆市监抽查〔2026〕3号",
            "公示日期": dt.date(2026, 11, 25), "检查结果": rows}
    out = store.load("publication").render(data, tmp_path / "p.xlsx")
    ws = load_workbook(out).worksheets[0]
    assert ws.title == "馆市监抽查〔2026〕3号"
    assert ws["A1"].value == "馆陶县市场监督管理局随机抽查检查结果公示表"
    assert [ws.cell(r, 1).value for r in range(4, 9)] == [1, 2, 3, 4, 5]  # numbers stay numbers
    assert ws["B4"].value == "馆陶县第1食品厂" and ws["G8"].value == "2026年11月3日"
    assert ws["B5"].value == "'=HYPERLINK(\"http://x\")" and ws["B5"].data_type == "s"  # neutralised
    assert ws["B6"].value == "{{ 部门名称 }}有限公司"
    assert ws["B8"].border.left.style == "thin" and ws.row_dimensions[8].height == 30
    assert ws.max_row == 8


def test_empty_publication_drops_the_row_template(store, tmp_path):
    out = store.load("publication").render({"部门名称": "某局"}, tmp_path / "p.xlsx")
    ws = load_workbook(out).worksheets[0]
    assert ws.max_row == 3 and ws["A3"].value == "序号"


def test_template_sheet_shows_placeholders():
    ws = load_workbook(bundled_forms_dir() / "抽查结果公示表.xlsx").worksheets[0]
    assert ws["A4"].value == "{%tr for 行 in 检查结果 %}{{ 行.序号 }}"
