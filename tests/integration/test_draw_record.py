"""The 抽取过程记录 of a draw, filled from what was committed — both backends."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from sqlalchemy import select


from app.db.models import AuditEntry
from app.domain.notices import DRAW_RECORD
from app.services.accounts import NotPermitted
from app.services.draw import record as draw_record
from app.services.notices import register

from app.services.draw import ceremony as draws
from app.services.draw.ceremony import Witness
from app.services.draw.inputs import task_draw_spec
from tests.actors import CLERK, READER, SUPERVISOR
from app.domain.replacement import ReplacementReason

WITNESSES = [Witness("张纪检", "县纪委监委派驻纪检组", "0123456789"), Witness("李代表", "县人大代表", "00098765432")]


@pytest.fixture
def drawn(demo_county, tmp_path):
    database = demo_county(CLERK, subjects=300, today=date(2026, 11, 23))
    task = draws.task_draw_states(database)[1]  # risk-stratified
    view, _ = draws.run_draw(database, CLERK, task.id, WITNESSES, "", tmp_path / "包")
    return database, view


def _text(path) -> str:
    document = Document(str(path))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_record_holds_the_commitments_witnesses_seed_and_result(drawn, tmp_path):
    db, view = drawn
    context = draw_record.record_context(view, task_draw_spec(db, view.task_id), place="三楼会议室",
                                         supervisor="赵监督")
    assert [i["哈希"] for i in context["输入承诺"]] == [v for k, v in view.public["commitments"].items()
                                                  if k not in draw_record.NOT_INPUTS]
    assert context["程序承诺"] == view.public["commitments"]["secret_commitment"]
    assert context["验证程序哈希"] == view.public["commitments"]["verify_py_sha256"]
    assert context["此前尝试说明"] == "无" and context["此前尝试"] == []
    assert context["最终种子"] == view.public["seed"] and context["程序秘密"] == view.public["secret"]
    assert [w["随机数"] for w in context["见证人"]] == ["0123456789", "00098765432"]
    assert [s["代码"] for s in context["抽中对象"]] == [s["id"] for s in view.result["subjects"]]
    assert len(context["候补对象"]) == sum(len(s["alternates"]) for s in view.selection)
    assert view.public["seed"] in context["核验二维码"] and context["经办人"] == CLERK.name
    assert "A（低风险）" in context["抽取数量"]
    path = draw_record.render_record(db, CLERK, view.id, tmp_path / "记录.docx", place="三楼会议室", supervisor="赵监督")
    text = _text(path)
    assert view.public["seed"] in text and "张纪检" in text and "赵监督" in text and "补充页" not in text
    assert view.public["commitments"]["verify_py_sha256"] in text


def test_the_first_printing_numbers_the_record_in_the_register(drawn, tmp_path):
    db, view = drawn
    year = date.today().year
    first = _text(draw_record.render_record(db, CLERK, view.id, tmp_path / "一.docx"))
    number = f"禾市监抽记〔{year}〕1号"
    assert number in first
    again = _text(draw_record.render_record(db, CLERK, view.id, tmp_path / "二.docx"))
    assert number in again  # printed again: the same number, nothing new in the register
    rows = register.register_rows(db, year)
    assert [(r.kind, r.number) for r in rows if r.kind == DRAW_RECORD] == [(DRAW_RECORD, number)]
    with db.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert actions.count("登记抽取过程记录") == 1


def test_a_reader_may_reprint_a_numbered_record_but_not_number_one(drawn, tmp_path):
    db, view = drawn
    with pytest.raises(NotPermitted):
        draw_record.render_record(db, READER, view.id, tmp_path / "记录.docx")
    draw_record.render_record(db, CLERK, view.id, tmp_path / "记录.docx")
    assert "抽记" in _text(draw_record.render_record(db, READER, view.id, tmp_path / "再印.docx"))


def test_replacements_print_on_an_addendum_with_reasons(drawn, tmp_path):
    db, view = drawn
    gone = view.result["subjects"][0]
    view = draws.replace_subject(db, CLERK, view.id, gone["id"], ReplacementReason.DEREGISTERED, confirmed_by=SUPERVISOR)
    team = view.result["teams"][0]
    member = team["members"][0]
    view = draws.replace_inspector(db, CLERK, view.id, member["id"], ReplacementReason.UNAVAILABLE, note="病假",
                                   confirmed_by=SUPERVISOR)
    text = _text(draw_record.render_record(db, CLERK, view.id, tmp_path / "记录.docx"))
    assert "补充页" in text and "已注销/吊销" in text and "因病/公出无法参加：病假" in text
    assert text.count(f"监督员 {SUPERVISOR.name} 确认") == 2
    assert gone["name"] in text and member["name"] in text


def test_the_exported_package_is_checked_at_once(drawn, tmp_path):
    db, view = drawn
    paths, result = draw_record.export_verified_package(db, view.id, tmp_path / "U盘" / "验证包")
    assert result.passed and paths.zip.is_file()


def test_exporting_twice_to_a_usb_stick_makes_a_new_folder_each_time(drawn, tmp_path):
    db, view = drawn
    first, _ = draw_record.export_verified_package(db, view.id, into=tmp_path)
    second, result = draw_record.export_verified_package(db, view.id, into=tmp_path)
    assert first.folder != second.folder and result.passed
    assert first.folder.name.startswith("验证包-禾市监抽查〔2026〕2号")
