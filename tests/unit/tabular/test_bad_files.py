"""Every unusable file ends in one TabularError with a Chinese message saying what to do."""

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.tabular import TabularError, read_check_item_list, read_directory
from tests.real_data import REAL

DATA = Path(__file__).resolve().parents[2] / "data" / "tabular"


def _workbook(path: Path, *rows, sheet="Sheet1") -> Path:
    workbook = Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


def _error(path, **kwargs) -> str:
    with pytest.raises(TabularError) as info:
        read_directory(path, **kwargs)
    return info.value.message


def test_missing_file(tmp_path):
    assert "找不到文件" in _error(tmp_path / "nope.xlsx")


def test_not_a_workbook(tmp_path):
    path = tmp_path / "名录.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    message = _error(path)
    assert "不是有效的 Excel 工作簿" in message and "另存为" in message


def test_web_page_saved_as_xls(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>企业名称</td></tr></table></body></html>", encoding="utf-8")
    assert "网页（HTML）" in _error(path)


def test_zero_bytes(tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    assert "空文件" in _error(path)


def test_empty_workbook(tmp_path):
    assert "没有数据" in _error(_workbook(tmp_path / "空表.xlsx"))


def test_password_protected():
    message = _error(DATA / "encrypted.xlsx")
    assert "设置了打开密码" in message and "清空密码" in message


def test_unsupported_type(tmp_path):
    path = tmp_path / "名录.docx"
    path.write_bytes(b"PK\x03\x04")
    assert "不支持" in _error(path)


def test_wrong_sheet_lists_the_sheets(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", ["企业名称", "统一社会信用代码"], sheet="名录")
    message = _error(path, sheet="Sheet9")
    assert "“Sheet9”" in message and "“名录”" in message


def test_no_header(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", ["张三", "李四"], [1, 2])
    assert "找不到表头" in _error(path)


def test_missing_required_column(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", ["统一社会信用代码", "联系电话", "住所"], ["914403001922038216", "1", "x"])
    message = _error(path)
    assert "缺少必需的列“名称”" in message and "“联系电话”" in message


def test_subjects_need_a_code_column(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", ["企业名称", "联系电话"], ["甲", "1"])
    assert "统一社会信用代码" in _error(path)


def test_inspector_file_needs_a_name_column(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", ["执法证号", "部门", "性别"], ["46001", "市场监管局", "男"])
    assert "缺少必需的列“姓名”" in _error(path, kind="inspector")


def test_undecodable_csv(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("企业名称,统一社会信用代码\n".encode() + bytes([0x81, 0x20, 0xFF, 0xFE, 0x00]) * 3)
    assert "编码" in _error(path)


@pytest.mark.skipif(not REAL.exists(), reason="shared/data/real is not beside the repository")
def test_workbook_with_the_wrong_extension_is_read_by_content(tmp_path):
    legacy = tmp_path / "联合清单.xlsx"
    shutil.copy(next(REAL.glob("76-*.xls")), legacy)
    assert len(read_check_item_list(legacy)) == 83


def test_truncated_workbook(tmp_path):
    whole = _workbook(tmp_path / "whole.xlsx", ["企业名称", "统一社会信用代码"], ["甲", "914403001922038216"])
    broken = tmp_path / "下载中断.xlsx"
    broken.write_bytes(whole.read_bytes()[:2000])
    message = _error(broken)
    assert "可能已损坏" in message and "下载中断.xlsx" in message


def test_file_that_cannot_be_opened(tmp_path, monkeypatch):
    path = _workbook(tmp_path / "a.xlsx", ["企业名称", "统一社会信用代码"])
    real_open = Path.open

    def locked(self, *args, **kwargs):  # what Windows does while Excel has the file open
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    assert "正在 Excel 或 WPS 中打开" in _error(path)
