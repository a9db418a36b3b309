"""`python -m app docs …`: the 一细则 as .docx and trying an edited template with JSON data."""

from __future__ import annotations

import json
import shutil
import zipfile

import openpyxl
from docx import Document

from app.cli import run_cli
from app.services.system import settings
from app.services.rulebooks.templates import template_store
from tests.actors import ADMIN


def _xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_rulebook_by_name_or_short_name(database, tmp_path, capsys):
    settings.save_departments(database, ADMIN, [(None, "青禾县卫生健康委员会", "禾卫健")])
    out = tmp_path / "细则.docx"
    assert run_cli(["--db", database.url, "docs", "rulebook", "--department", "禾卫健", "--out", str(out)]) == 0
    assert "默认文字" in capsys.readouterr().out
    xml = _xml(out)
    assert "青禾县卫生健康委员会" in xml and "{{" not in xml
    assert run_cli(["--db", database.url, "docs", "rulebook", "--department", "不存在的局",
                    "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "没有找到部门“不存在的局”" in err and "青禾县卫生健康委员会" in err


def test_render_one_and_a_batch(database, tmp_path, capsys):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"部门名称": "青禾县市场监督管理局", "文号": "禾市监抽告〔2026〕1号",
                               "被检查单位": "青禾县新华书店有限公司", "检查结果": "未发现问题",
                               "核验二维码": "SSJ1|test"}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "告知书.docx"
    assert run_cli(["--db", database.url, "docs", "render", "notice", "--data", str(one), "--out", str(out)]) == 0
    xml = _xml(out)
    assert "禾市监抽告〔2026〕1号" in xml and "青禾县新华书店有限公司" in xml

    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([{"工作表名称": f"2026年{m}月", "单位名称": "青禾县市场监督管理局", "填表月": m}
                                 for m in (10, 11)], ensure_ascii=False), encoding="utf-8")
    xlsx = tmp_path / "月报.xlsx"
    assert run_cli(["--db", database.url, "docs", "render", "月报表", "--data", str(batch),
                    "--out", str(xlsx)]) == 0
    assert "2 份" in capsys.readouterr().out
    assert openpyxl.load_workbook(xlsx).sheetnames == ["2026年10月", "2026年11月"]


def test_render_an_edited_template_by_path(database, tmp_path, capsys):
    edited = tmp_path / "我的告知书.docx"
    shutil.copy(template_store().path_for("notice"), edited)
    doc = Document(edited)
    doc.add_paragraph("本告知书由{{ 联系人 }}送达。")
    doc.save(edited)
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"联系人": "王可"}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "试.docx"
    # the file name does not say which kind it is
    assert run_cli(["--db", database.url, "docs", "render", str(edited), "--data", str(data),
                    "--out", str(out)]) == 2
    assert "--kind" in capsys.readouterr().err
    assert run_cli(["--db", database.url, "docs", "render", str(edited), "--kind", "notice",
                    "--data", str(data), "--out", str(out)]) == 0
    assert "本告知书由王可送达。" in "".join(p.text for p in Document(out).paragraphs)

    doc.add_paragraph("{{ 不存在的字段 }}")
    doc.save(edited)
    assert run_cli(["--db", database.url, "docs", "render", str(edited), "--kind", "notice",
                    "--data", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "我的告知书.docx" in err and "不存在的字段" in err


def test_bad_data_and_wrong_extension_exit_2(database, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{不是 JSON", encoding="utf-8")
    assert run_cli(["--db", database.url, "docs", "render", "notice", "--data", str(bad),
                    "--out", str(tmp_path / "x.docx")]) == 2
    assert "不是有效的 JSON" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text("{}", encoding="utf-8")
    assert run_cli(["--db", database.url, "docs", "render", "notice", "--data", str(good),
                    "--out", str(tmp_path / "x.xlsx")]) == 2
    assert ".docx" in capsys.readouterr().err
    assert run_cli(["--db", database.url, "docs", "render", "请假条", "--data", str(good),
                    "--out", str(tmp_path / "x.docx")]) == 2
    assert "没有“请假条”这种文书" in capsys.readouterr().err


def test_templates_listing(database, capsys):
    assert run_cli(["--db", database.url, "docs", "templates"]) == 0
    out = capsys.readouterr().out
    assert "检查结果告知书" in out and "默认" in out
