"""Importing 库1 and 库2 into the database: all or nothing, upsert, reports — both backends."""

from __future__ import annotations

import json

import openpyxl
import pytest
from sqlalchemy import func, select

from app.cli import run_cli
from app.db.models import Certificate, Department, Inspector, StatusPeriod, Subject, Tag
from app.services.directory.exports import export_inspectors, export_subjects, write_import_report
from app.services.directory.imports import import_inspectors, import_subjects
from app.services.errors import UserError
from app.services.accounts.users import create_demo_accounts
from tests.actors import CLERK, log_in_cli_as
from tests.unit.tabular.messy_directory import write_messy_xlsx


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """The messy directory of the parser tests, at 4,000 rows to keep the suite quick on two backends
    (tests/unit/tabular checks the full 20,000)."""
    return write_messy_xlsx(tmp_path_factory.mktemp("messy") / "某某县市场主体名录.xlsx", n=4_000)


def _count(db, model=Subject) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_messy_directory_with_errors_imports_nothing(database, messy, tmp_path):
    result = import_subjects(database, CLERK, messy.path)
    assert not result.committed
    assert sorted((i.row, i.column, i.severity) for i in result.issues) == sorted(messy.expected)
    errors = sum(1 for *_, severity in messy.expected if severity == "error")
    assert (result.rows, result.rejected, len(result.errors)) == (4_000, len(messy.rejected_rows), errors)
    assert result.warnings == len(messy.expected) - errors > 0
    assert (result.imported, result.updated) == (0, 0)
    assert _count(database) == 0 and _count(database, Tag) == 0
    report = tmp_path / "校验报告.xlsx"
    write_import_report(report, messy.path, result)
    problems = openpyxl.load_workbook(report)["问题清单"]
    assert problems.max_row == 1 + len(messy.expected)


def test_valid_only_imports_the_good_rows_and_reimport_updates(database, messy):
    good = 4_000 - len(messy.rejected_rows)
    first = import_subjects(database, CLERK, messy.path, valid_only=True)
    assert first.committed and (first.imported, first.updated, first.rejected) == (good, 0, len(messy.rejected_rows))
    assert _count(database) == good
    with database.session() as session:
        formula_like = session.scalar(select(func.count()).select_from(Subject).where(Subject.name.like("=%")))
        tagged = session.scalar(select(func.count()).select_from(Tag))
    assert formula_like == 10  # stored as the text it is
    assert tagged == 2  # 食品、餐饮
    again = import_subjects(database, CLERK, messy.path, valid_only=True)
    assert (again.imported, again.updated) == (0, good)
    assert _count(database) == good


def test_export_neutralises_formula_text_and_maps_itself_on_reimport(database, messy, tmp_path):
    import_subjects(database, CLERK, messy.path, valid_only=True)
    out = tmp_path / "导出.xlsx"
    good = 4_000 - len(messy.rejected_rows)
    assert export_subjects(database, out) == good
    sheet = openpyxl.load_workbook(out, read_only=True).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert not any(isinstance(n, str) and n[:1] in "=+-@" for n in names)
    back = import_subjects(database, CLERK, out)
    assert back.committed and (back.imported, back.updated, back.rejected) == (0, good, 0)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Subject).where(Subject.name.like("=%"))) == 10


def test_a_pre_reform_individual_business_keeps_its_record_when_it_gets_a_credit_code(database, tmp_path):
    old = tmp_path / "个体户（旧）.xlsx"
    new = tmp_path / "个体户（新）.xlsx"
    for path, rows in ((old, [["城关镇张三便利店", "", "419901600000001"]]),
                       (new, [["城关镇张三便利店", "92419901MA00000011", "419901600000001"]])):
        book = openpyxl.Workbook()
        book.active.append(["名称", "统一社会信用代码", "注册号"])
        for row in rows:
            book.active.append(row)
        book.save(path)
    assert import_subjects(database, CLERK, old).imported == 1
    result = import_subjects(database, CLERK, new)
    assert (result.imported, result.updated, result.warnings) == (0, 1, 1)  # the made-up code's check char
    with database.session() as session:
        [subject] = session.scalars(select(Subject)).all()
    assert (subject.credit_code, subject.registration_no) == ("92419901MA00000011", "419901600000001")


def test_broken_file_changes_nothing_and_cli_exits_2(database, tmp_path, capsys, monkeypatch):
    broken = tmp_path / "名录.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UserError):
        import_subjects(database, CLERK, broken)
    create_demo_accounts(database)
    log_in_cli_as(monkeypatch)
    assert run_cli(["--db", database.url, "subjects", "import", str(broken)]) == 2
    assert "错误" in capsys.readouterr().err
    assert _count(database) == 0


def test_cli_json_and_report(database, messy, tmp_path, capsys, monkeypatch):
    create_demo_accounts(database)
    log_in_cli_as(monkeypatch)
    report = tmp_path / "报告.xlsx"
    code = run_cli(["--db", database.url, "subjects", "import", str(messy.path), "--json", "--report", str(report)])
    assert code == 1  # errors: nothing imported
    payload = json.loads(capsys.readouterr().out)
    errors = sum(1 for *_, severity in messy.expected if severity == "error")
    assert (payload["imported"], payload["rejected"]) == (0, len(messy.rejected_rows))
    assert (len(payload["errors"]), payload["warnings"]) == (errors, len(messy.expected) - errors)
    assert {"row", "column", "message"} == set(payload["errors"][0])
    assert report.exists()


INSPECTOR_HEADER = ["姓名", "性别", "所在单位", "科室", "人员类别", "执法证号", "有效期至", "业务专长", "是否可任组长", "状态"]


def _inspector_file(path, rows):
    book = openpyxl.Workbook()
    book.active.append(["青禾县执法检查人员名录"])
    book.active.append(INSPECTOR_HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_inspectors_upsert_by_certificate_and_create_missing_departments(database, tmp_path):
    path = _inspector_file(tmp_path / "人员.xlsx", [
        ["李强", "男", "青禾县市场监督管理局", "信用监管股", "公务员", "4199000001", "2028-12-31", "食品、特种设备", "是", "在岗"],
        ["王敏", "女", "青禾县市场监督管理局", "城关所", "事业编", "4199000002", "2021-01-01至2026-12-31", "计量", "否", "病假"],
        ["赵工", "男", "", "", "专家", "", "", "锅炉检验", "", ""],
    ])
    first = import_inspectors(database, CLERK, path)
    assert first.committed and (first.imported, first.updated, first.rejected) == (3, 0, 0)
    with database.session() as session:
        assert [d.name for d in session.scalars(select(Department))] == ["青禾县市场监督管理局"]
        assert session.scalar(select(func.count()).select_from(Certificate)) == 2
        [leave] = session.scalars(select(StatusPeriod)).all()
        assert leave.status == "请假"
        lee = session.scalars(select(Inspector).where(Inspector.name == "李强")).one()
        assert lee.can_lead and lee.specialities == ["食品", "特种设备"]
    second = import_inspectors(database, CLERK, path)
    assert (second.imported, second.updated) == (0, 3)
    assert _count(database, Inspector) == 3
    out = tmp_path / "人员导出.xlsx"
    assert export_inspectors(database, out) == 3
    assert import_inspectors(database, CLERK, out).updated == 3


def test_inspector_duplicates_reject_the_whole_file(database, tmp_path):
    path = _inspector_file(tmp_path / "人员.xlsx", [
        ["李强", "男", "青禾县市场监督管理局", "", "公务员", "4199000001", "2028-12-31", "", "是", ""],
        ["李强强", "男", "青禾县市场监督管理局", "", "公务员", "4199000001", "2028-12-31", "", "否", ""],
    ])
    result = import_inspectors(database, CLERK, path)
    assert not result.committed and len(result.errors) == 1 and "第 3 行和第 4 行" in result.errors[0].message
    assert _count(database, Inspector) == 0 and _count(database, Department) == 0


def test_a_large_import_rebuilds_the_search_indexes_and_a_failed_one_keeps_them(database, messy, monkeypatch):
    from sqlalchemy import inspect

    import app.services.directory.imports as importer

    monkeypatch.setattr(importer, "LARGE_IMPORT_ROWS", 100)  # treat the 4,000-row file as large

    def indexes() -> set[str]:
        return {ix["name"] for ix in inspect(database.engine).get_indexes("subjects")}

    before = indexes()
    assert not import_subjects(database, CLERK, messy.path).committed
    assert indexes() == before
    assert import_subjects(database, CLERK, messy.path, valid_only=True).committed
    assert indexes() == before
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Subject).where(Subject.region == "城关镇")) > 0


def test_tags_are_linked_across_batches_by_credit_code_and_by_registration_no(database, tmp_path, monkeypatch):
    import app.tabular.subject_rows as subject_rows
    import app.services.directory.subject_writer as subject_writer
    from app.domain.credit_code import compute_check_char

    for module in (subject_rows, subject_writer):  # links wait for whole statements over several batches
        monkeypatch.setattr(module, "BATCH", 2)
    path = tmp_path / "标签.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["名称", "统一社会信用代码", "注册号", "标签"])
    expected = {}
    for i in range(7):
        body = f"91419901MA{i:07d}"
        code = body + compute_check_char(body) if i % 3 else ""
        regno = "" if i % 3 else f"41990160000000{i}"
        tags = ["食品", "餐饮", "药品"][: i % 4]
        book.active.append([f"第{i}号商店", code, regno, "、".join(tags)])
        expected[f"第{i}号商店"] = set(tags)
    book.save(path)
    for _ in range(2):  # the second import meets links that exist already
        result = import_subjects(database, CLERK, path)
        assert result.committed and not result.errors
        with database.session() as session:
            assert {s.name: {t.name for t in s.tags} for s in session.scalars(select(Subject))} == expected


def test_text_too_long_for_its_column_rejects_the_row_in_row_order(database, tmp_path, monkeypatch):
    import app.tabular.subject_rows as subject_rows
    from app.domain.credit_code import compute_check_char

    monkeypatch.setattr(subject_rows, "BATCH", 3)  # findings from several batches, and one in the last
    path = tmp_path / "过长.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["名称", "统一社会信用代码", "联系电话", "信用风险分类"])
    for i in range(8):
        body = f"91419901MA{i:07d}"
        phone = "1" * 51 if i in (1, 7) else "13800000000"  # 联系电话 holds at most 50
        name = "长" * 301 if i == 4 else f"第{i}号商店"  # 名称 at most 300
        risk = "E" if i == 2 else "A"  # an error the reader finds, after row 3's in the same batch
        book.active.append([name, body + compute_check_char(body), phone, risk])
    book.save(path)
    result = import_subjects(database, CLERK, path)
    assert not result.committed and _count(database) == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "联系电话"), (4, "信用风险分类"), (6, "名称"),
                                                         (9, "联系电话")]
    assert [e.message for e in result.errors if e.column != "信用风险分类"] == [
        "内容过长：最多 50 个字", "内容过长：最多 300 个字", "内容过长：最多 50 个字"]
    result = import_subjects(database, CLERK, path, valid_only=True)
    assert result.committed and (result.imported, result.rejected) == (4, 4) and _count(database) == 4
