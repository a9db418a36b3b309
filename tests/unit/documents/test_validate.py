"""Broken templates are refused with a Chinese message naming the file and the tag."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.documents import TemplateProblem, bundled_forms_dir, load_form


def edited_docx(tmp_path: Path, filename: str, old: str, new: str) -> Path:
    """A copy of a shipped template with one text replaced in document.xml."""
    src = bundled_forms_dir() / filename
    dst = tmp_path / filename
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text, old
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)
    return dst


def problem(kind: str, path: Path) -> TemplateProblem:
    with pytest.raises(TemplateProblem) as info:
        load_form(kind, path)
    return info.value


def test_unknown_placeholder(tmp_path):
    path = edited_docx(tmp_path, "检查结果告知书.docx", "{{ 被检查单位 }}", "{{ 被检单位 }}")
    err = problem("notice", path)
    message = str(err)
    assert "检查结果告知书.docx" in message
    assert "{{ 被检单位 }}" in message and "不是《检查结果告知书》可用的字段" in message
    assert "恢复默认" in message  # says what to do next
    assert err.tags == ["{{ 被检单位 }}"]


def test_broken_braces(tmp_path):
    path = edited_docx(tmp_path, "检查结果告知书.docx", "{{ 检查结果 }}", "{{ 检查结果 }")
    message = str(problem("notice", path))
    assert "检查结果告知书.docx" in message and "检查结果 }" in message


def test_syntax_error_inside_a_tag(tmp_path):
    path = edited_docx(tmp_path, "检查结果告知书.docx", "{{ 检查结果 }}", "{{ 检查结果 结论 }}")
    err = problem("notice", path)
    assert err.tags == ["{{ 检查结果 结论 }}"]
    assert "写法有误" in str(err)


def test_missing_endfor(tmp_path):
    path = edited_docx(tmp_path, "随机抽查工作指引.docx", "{%p endfor %}", "")
    err = problem("item_guide", path)
    assert "随机抽查工作指引.docx" in str(err)
    assert err.tags == ["{% for 事项 in 抽查事项 %}"]
    assert "缺少与之配对的“{% endfor %}”" in str(err)


def test_unknown_sub_field_in_a_row_loop(tmp_path):
    path = edited_docx(tmp_path, "随机抽查检查表.docx", "{{ 项.处置情况 }}", "{{ 项.处理情况 }}")
    err = problem("check_form", path)
    assert err.tags == ["{{ 项.处理情况 }}"]
    assert "“处理情况”不是“检查事项”每一项的字段" in str(err)


def test_unknown_filter(tmp_path):
    path = edited_docx(tmp_path, "随机抽查检查表.docx", '勾选("网络监测")', '打勾("网络监测")')
    err = problem("check_form", path)
    assert "打勾" in str(err) and "随机抽查检查表.docx" in str(err)


def test_not_a_docx(tmp_path):
    path = tmp_path / "检查结果告知书.docx"
    path.write_bytes(b"this is a .doc from 2003")
    err = problem("notice", path)
    assert "检查结果告知书.docx" in str(err) and "另存为 .docx" in str(err)


def test_xlsx_unknown_placeholder_names_the_cell(tmp_path):
    path = tmp_path / "月报表.xlsx"
    shutil.copy(bundled_forms_dir() / "月报表.xlsx", path)
    wb = load_workbook(path)
    wb.worksheets[0]["C3"] = "填表时间：{{ 填报日期 }}"
    wb.save(path)
    err = problem("monthly_report", path)
    assert "月报表.xlsx" in str(err) and "C3" in str(err) and "{{ 填报日期 }}" in str(err)


def test_xlsx_row_loop_variable_is_known(tmp_path):
    path = tmp_path / "抽查结果公示表.xlsx"
    shutil.copy(bundled_forms_dir() / "抽查结果公示表.xlsx", path)
    wb = load_workbook(path)
    wb.worksheets[0]["B4"] = "{{ 行.检查对像 }}"
    wb.save(path)
    err = problem("publication", path)
    assert err.tags == ["{{ 行.检查对像 }}"] and "B4" in str(err)


@pytest.mark.parametrize("filename,kind", [
    ("检查结果告知书.docx", "notice"), ("月报表.xlsx", "monthly_report")])
def test_shipped_templates_pass(filename, kind):
    load_form(kind, bundled_forms_dir() / filename)


def test_stray_closing_braces(tmp_path):
    path = edited_docx(tmp_path, "检查结果告知书.docx", "特此告知。", "特此告知。}}")
    err = problem("notice", path)
    assert err.tags == ["特此告知。}}"] and "多出了结束括号" in str(err)


def _with_header(tmp_path: Path, text: str) -> Path:
    from docx import Document
    path = tmp_path / "检查结果告知书.docx"
    doc = Document(bundled_forms_dir() / "检查结果告知书.docx")
    section = doc.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = text
    doc.save(path)
    return path


def test_header_placeholders_are_checked_and_filled(tmp_path):
    from docx import Document

    from .conftest import notice
    err = problem("notice", _with_header(tmp_path, "{{ 机关名称 }}"))
    assert "页眉" in str(err) and err.tags == ["{{ 机关名称 }}"]

    form = load_form("notice", _with_header(tmp_path, "{{ 部门名称 }}（存档联）"))
    out = form.render_batch([notice(1), notice(2)], tmp_path / "out.docx")
    doc = Document(out)
    assert doc.sections[1].header.paragraphs[0].text == "馆陶县市场监督管理局（存档联）"
