"""The provincial 随机抽查事项清单 files import with every item, and export in their layout.

The counts were made by hand from the files: the 2020 list has 387 rows under its two-row
header; 94 of them only continue the item above (a further 检查依据 or 检查主体 line under a
merged 抽查事项), leaving 293 items in 122 numbered groups. The joint list has 83 items,
one per row, in 36 groups.
"""

import dataclasses

import pytest
from python_calamine import CalamineWorkbook

from app.tabular import (
    JOINT,
    STANDARD,
    CheckItemRow,
    TabularError,
    export_check_item_list,
    list_layout,
    read_check_item_list,
    split_methods,
)

from tests.real_data import REAL
LIST_2020 = REAL / "75-海南省市场监管领域随机抽查事项清单（2020年版）.xlsx"
JOINT_LIST = REAL / "76-附件1.海南省市场监管领域部门联合抽查事项清单（第二版）.xls"

pytestmark = pytest.mark.skipif(not LIST_2020.exists(), reason="shared/data/real is not beside the repository")

PER_DEPARTMENT_2020 = {
    "省教育厅": 7,
    "省公安厅": 11,
    "省人力资源和社会保障厅": 108,
    "省生态环境厅": 4,
    "省住房和城乡建设厅": 6,
    "省交通运输厅": 22,
    "省农业农村厅": 16,
    "省商务厅": 10,
    "省旅文厅": 11,
    "省卫健委": 5,
    "省应急管理厅": 2,
    "海口海关": 2,
    "国家税务总局海南省税务局": 2,
    "省统计局": 1,
    "省消防救援总队": 4,
    "省市场监管局": 82,
}


@pytest.fixture(scope="module")
def items_2020():
    return read_check_item_list(LIST_2020)


@pytest.fixture(scope="module")
def joint_items():
    return read_check_item_list(JOINT_LIST)


def _by_row(items, row):
    return next(i for i in items if i.row == row)


def test_2020_list_has_every_item(items_2020):
    assert len(items_2020) == 293
    assert len({i.seq for i in items_2020}) == 122
    assert [i.seq for i in items_2020][-1] == "122"
    counts = {}
    for item in items_2020:
        counts[item.department] = counts.get(item.department, 0) + 1
    assert counts == PER_DEPARTMENT_2020
    assert sum(1 for i in items_2020 if i.item_class == "重点检查事项") == 30
    assert all(i.name and i.target and i.item_class and i.methods for i in items_2020)
    assert len({i.key for i in items_2020}) == 293
    assert list_layout(items_2020) == STANDARD


def test_2020_rows_are_all_accounted_for(items_2020):
    rows = CalamineWorkbook.from_path(str(LIST_2020)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert len(rows) == 390  # title + two header rows + 387 data rows
    covered = sum(i.last_row - i.row + 1 for i in items_2020)
    assert covered == 387


def test_merged_down_groups_and_continuation_rows(items_2020):
    first = items_2020[0]
    assert (first.department, first.seq, first.category) == ("省教育厅", "1", "中小学教育装备产品检查")
    assert first.methods == ("现场检查", "书面检查", "网络检查", "专业机构核查")
    uniforms = _by_row(items_2020, 6)
    assert uniforms.last_row == 7 and uniforms.legal_basis.count("\n") == 1
    assert uniforms.legal_basis.endswith("（琼教勤助〔2016〕12号）第五条")
    seeds = _by_row(items_2020, 169)  # 检查主体 continued on the next row
    assert seeds.authority == "省农业农村厅种业管理处\n省种子总站"
    social = _by_row(items_2020, 72)  # a second merged block of the same 抽查类别, padded with newlines
    assert (social.seq, social.category) == ("16", "社会保险")
    # one 抽查事项 cell merged over two 检查对象 with different 事项类别: two items
    general, canteen = _by_row(items_2020, 314), _by_row(items_2020, 315)
    assert general.name == canteen.name == "食品经营许可情况的检查"
    assert (general.item_class, canteen.item_class) == ("一般检查事项", "重点检查事项")
    assert _by_row(items_2020, 192).target == "拍卖企业"  # a line break inside a one-line field
    # 检查依据 merged over several items is given to each of them
    assert _by_row(items_2020, 255).legal_basis == _by_row(items_2020, 244).legal_basis != ""
    assert _by_row(items_2020, 198).target == _by_row(items_2020, 197).target


def test_joint_list_from_legacy_xls(joint_items):
    assert len(joint_items) == 83
    assert len({i.seq for i in joint_items}) == 36
    assert list_layout(joint_items) == JOINT
    school = [i for i in joint_items if i.seq == "2"]
    assert len(school) == 7 and {i.target for i in school} == {"各类学校"}
    assert [i.lead_departments for i in school][-1] == "消防救援机构"
    assert {i.partner_departments for i in school} == {"市场监管领域相关部门"}
    last = joint_items[-1]
    assert (last.seq, last.lead_departments, last.row) == ("36", "统计部门", 86)


@pytest.mark.parametrize("source", [LIST_2020, JOINT_LIST], ids=["2020", "joint"])
def test_export_round_trips_in_the_same_layout(source, tmp_path):
    items = read_check_item_list(source)
    out = tmp_path / "清单.xlsx"
    export_check_item_list(items, out, title="海南省随机抽查事项清单")
    again = read_check_item_list(out)

    def strip(item):
        return dataclasses.replace(item, row=0, last_row=0)

    assert [strip(i) for i in again] == [strip(i) for i in items]
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False)
    merges = sheet.merged_cell_ranges
    assert rows[0][0] == "海南省随机抽查事项清单"
    if source == LIST_2020:
        assert rows[1][:3] == ["编制单位名称", "序号", "抽查项目"] and rows[2][2:4] == ["抽查类别", "抽查事项"]
        assert ((1, 2), (1, 3)) in merges and ((1, 0), (2, 0)) in merges
        assert ((3, 0), (9, 0)) in merges  # 省教育厅 over its 7 items
        assert ((3, 1), (5, 1)) in merges and ((3, 2), (5, 2)) in merges  # 序号 1 and its 抽查类别
    else:
        assert rows[1] == ["序号", "抽查领域", "抽查事项", "检查对象", "发起部门", "配合部门"]
        assert ((2, 0), (3, 0)) in merges


def test_export_neutralises_cells_excel_would_execute(tmp_path):
    items = [
        CheckItemRow(
            department="=部门",
            seq="1",
            category="+类别",
            name="-事项",
            target="@对象",
            item_class="一般检查事项",
            methods=("现场检查",),
            methods_text="现场检查",
            legal_basis='=HYPERLINK("http://x.invalid")',
        )
    ]
    out = tmp_path / "x.xlsx"
    export_check_item_list(items, out)
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    for cell in sheet[4]:
        assert cell.data_type != "f"
        if cell.value:
            assert not str(cell.value).startswith(("=", "+", "-", "@"))
    assert read_check_item_list(out)[0].legal_basis == items[0].legal_basis


def test_split_methods():
    assert split_methods("现场检查、书面检查等") == ("现场检查", "书面检查")
    assert split_methods("网络检查，现场检查, 书面检查；网络检查") == ("网络检查", "现场检查", "书面检查")
    assert split_methods("") == ()


def test_a_directory_is_not_a_check_item_list(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["企业名称", "统一社会信用代码"])
    workbook.active.append(["甲", "914403001922038216"])
    workbook.save(tmp_path / "d.xlsx")
    with pytest.raises(TabularError, match="不是抽查事项清单"):
        read_check_item_list(tmp_path / "d.xlsx")


def test_unmerged_list_with_blanks_meaning_as_above(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in [
        ["某县市场监管局随机抽查事项清单"],
        ["序号", "抽查类别", "抽查事项", "检查对象", "事项类别", "检查方式", "检查依据", "抽查比例"],
        [1, "食品", "食品销售监督检查", "食品销售者", "重点检查事项", "现场检查等", "《食品安全法》第一百一十条", "5%"],
        [None, None, None, None, None, None, "《食品经营许可管理办法》"],
        [None, None, "餐饮服务监督检查", "餐饮服务提供者", "一般检查事项", "现场检查/书面检查", "《食品安全法》"],
        [2, "特种设备", "特种设备使用单位检查", "使用单位", "重点检查事项", "现场检查", "《特种设备安全法》"],
    ]:
        sheet.append(row)
    book.save(tmp_path / "list.xlsx")
    items = read_check_item_list(tmp_path / "list.xlsx", sheet="Sheet")
    assert [(i.seq, i.category, i.name) for i in items] == [
        ("1", "食品", "食品销售监督检查"),
        ("1", "食品", "餐饮服务监督检查"),
        ("2", "特种设备", "特种设备使用单位检查"),
    ]
    assert items[0].legal_basis == "《食品安全法》第一百一十条\n《食品经营许可管理办法》"
    assert (items[0].ratio, items[0].last_row, items[1].methods) == ("5%", 4, ("现场检查", "书面检查"))
    assert list_layout(items) == STANDARD
    export_check_item_list(items, tmp_path / "out.xlsx")
    sheet_rows = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_index(0).to_python()
    assert sheet_rows[1][-1] == "抽查比例" and "抽查频次" not in sheet_rows[1]  # only columns with content
    assert read_check_item_list(tmp_path / "out.xlsx")[0].ratio == "5%"
