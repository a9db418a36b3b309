"""一细则 in the database: versions, defaults, matching items to departments, export as .docx."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from docx import Document
from sqlalchemy import func, select

from app.db.models import AuditEntry, CheckItem, ItemGuide, Rulebook
from app.documents import RULEBOOK_SECTIONS, find_soffice
from app.services.rulebooks import versions as rulebooks
from app.services.system import settings
from app.services.system import setup
from app.services.rulebooks import templates
from app.services.directory.check_items import import_check_items
from app.services.demo.county import bundled_lists
from app.services.errors import UserError
from tests.actors import ADMIN, CLERK

ACTOR = CLERK
DEPT = "青禾县市场监督管理局"


@pytest.fixture
def dept_id(database) -> int:
    settings.save_departments(database, ADMIN, [(None, DEPT, "禾市监"), (None, "青禾县应急管理局", "禾应急")])
    return next(d.id for d in settings.list_departments(database) if d.name == DEPT)


def _body_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "{{" not in xml and "{%" not in xml and "}}" not in xml  # every placeholder filled
    return xml


def test_defaults_until_saved_then_each_save_is_a_new_version(database, dept_id):
    draft = rulebooks.get_rulebook(database, dept_id)
    assert draft.is_default and draft.version == 0
    assert list(draft.sections) == [name for name, _ in RULEBOOK_SECTIONS]
    assert any("20个工作日内公示" in p for p in draft.sections["公示程序"])
    assert DEPT in draft.sections["组织领导"][0]

    assert rulebooks.save_rulebook(database, ACTOR, draft) == 1
    draft = rulebooks.get_rulebook(database, dept_id)
    assert draft.version == 1 and draft.created_by == ACTOR.name
    # saving the same text again adds nothing
    assert rulebooks.save_rulebook(database, ACTOR, draft) == 1

    draft.sections["附则"] = ["本细则自2027年1月1日起施行。", "  "]
    draft.doc_number = "禾市监发〔2026〕8号"
    assert rulebooks.save_rulebook(database, ACTOR, draft) == 2
    current = rulebooks.get_rulebook(database, dept_id)
    assert current.version == 2 and current.sections["附则"] == ["本细则自2027年1月1日起施行。"]
    assert current.doc_number == "禾市监发〔2026〕8号"
    assert [v.version for v in rulebooks.rulebook_versions(database, dept_id)] == [2, 1]
    with database.session() as s:
        first = s.scalars(select(Rulebook).where(Rulebook.version == 1)).one()
        assert first.sections["附则"][0] == "本细则由青禾县市场监督管理局负责解释。"  # never overwritten
        actions = [a for a in s.scalars(select(AuditEntry.action))]
    assert actions.count("保存工作细则") == 2


def test_deadlines_change_the_default_wording_and_empty_sections_are_refused(database, dept_id):
    draft = rulebooks.default_rulebook(dept_id, DEPT, result_days=15, low_risk_cap=1)
    assert any("15个工作日内公示" in p for p in draft.sections["公示程序"])
    assert any("不超过1次" in p for p in draft.sections["抽取方法"])
    draft.sections["抽取方法"] = ["", " "]
    with pytest.raises(UserError, match="抽取方法"):
        rulebooks.save_rulebook(database, ACTOR, draft)
    assert rulebooks.rulebook_versions(database, dept_id) == []


def test_items_are_matched_to_their_department_and_guides_generated_once(database, dept_id):
    for path in bundled_lists():
        import_check_items(database, ACTOR, path)
    items = rulebooks.department_items(database, dept_id)
    assert len(items) >= 82  # 省市场监管局's list, and joint items it initiates
    with database.session() as s:
        compilers = {s.get(CheckItem, i.id).compiler or s.get(CheckItem, i.id).lead_departments for i in items}
    assert all("市场监管" in c for c in compilers)
    safety = next(d.id for d in settings.list_departments(database) if d.name == "青禾县应急管理局")
    assert 0 < len(rulebooks.department_items(database, safety)) < 20

    result = rulebooks.generate_default_guides(database, ACTOR, dept_id)
    assert result.created == len(items) and result.kept == 0
    again = rulebooks.generate_default_guides(database, ACTOR, dept_id)
    assert again.created == 0 and again.kept == len(items)

    guide = rulebooks.get_guide(database, items[0].id)
    assert guide.version == 1 and guide.check_points and guide.standard
    guide.check_points = ["营业执照是否悬挂在醒目位置。", "登记事项是否与实际一致。"]
    assert rulebooks.save_guide(database, ACTOR, guide) == 2
    assert rulebooks.get_guide(database, items[0].id).check_points == guide.check_points
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(ItemGuide).where(
            ItemGuide.check_item_id == items[0].id)) == 2
    rows = rulebooks.list_guides(database, dept_id)
    assert {r.version for r in rows} == {1, 2}
    guide.check_points = []
    with pytest.raises(UserError, match="检查内容"):
        rulebooks.save_guide(database, ACTOR, guide)


def test_no_items_means_a_clear_message(database, dept_id):
    with pytest.raises(UserError, match="事项清单"):
        rulebooks.generate_default_guides(database, ACTOR, dept_id)


def test_export_rulebook_docx_is_official_and_filled(database, dept_id, tmp_path):
    draft = rulebooks.get_rulebook(database, dept_id)
    draft.doc_number = "禾市监发〔2026〕8号"
    rulebooks.save_rulebook(database, ACTOR, draft)
    out = tmp_path / "细则.docx"
    assert rulebooks.export_rulebook(database, dept_id, out) == len(RULEBOOK_SECTIONS)
    xml = _body_text(out)
    assert "禾市监发〔2026〕8号" in xml and "随机抽查工作细则" in xml and "一次一档" in xml
    doc = Document(out)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm),
            round(section.left_margin.mm), round(section.right_margin.mm)) == (37, 35, 28, 26)
    with zipfile.ZipFile(out) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="方正小标宋简体"' in styles


def test_export_guides_one_table_per_item(database, dept_id, tmp_path):
    import_check_items(database, ACTOR, bundled_lists()[-1])
    rulebooks.generate_default_guides(database, ACTOR, dept_id)
    out = tmp_path / "指引.docx"
    count = rulebooks.export_guides(database, dept_id, out, year=2027)
    assert count == len(rulebooks.department_items(database, dept_id))
    xml = _body_text(out)
    assert "2027" in xml and "判定标准" in xml
    assert len(Document(out).tables) == count


def test_a_broken_user_template_becomes_a_user_error(database, dept_id, tmp_path):
    store = templates.template_store()
    copy = templates.open_user_copy("rulebook", store)
    copy.write_bytes(b"not a docx")
    with pytest.raises(UserError, match="随机抽查工作细则.docx"):
        rulebooks.export_rulebook(database, dept_id, tmp_path / "x.docx", store=store)
    assert templates.restore_default("rulebook", database, ADMIN, store) is not None
    assert rulebooks.export_rulebook(database, dept_id, tmp_path / "x.docx", store=store)


def test_setup_progress_and_what_is_missing(database, dept_id):
    assert setup.last_finished_step(database) == -1 and setup.resume_step(database) == 0
    setup.finish_step(database, ACTOR, 1)
    setup.finish_step(database, ACTOR, 0)  # never moves backwards
    assert setup.last_finished_step(database) == 1 and setup.resume_step(database) == 2
    gaps = {g.what: g for g in setup.missing(database)}
    assert "没有启用的随机抽查事项" in gaps and "检查对象名录库是空的" in gaps
    assert any("执法检查人员不足 2 人" in w for w in gaps)
    assert gaps[f"{DEPT}尚未保存工作细则"].step == 4
    rulebooks.save_rulebook(database, ACTOR, rulebooks.get_rulebook(database, dept_id))
    assert f"{DEPT}尚未保存工作细则" not in {g.what for g in setup.missing(database)}


@pytest.mark.skipif(find_soffice() is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice and pdftoppm are needed for the print preview")
def test_print_preview_pages_of_the_rulebook(database, dept_id):
    document = templates.preview_dir() / "细则.docx"
    rulebooks.export_rulebook(database, dept_id, document)
    preview = templates.print_preview(document)
    assert preview is not None and preview.pdf.is_file()
    assert 4 <= len(preview.pages) <= 12  # eleven sections of 3号仿宋 at 22 lines a page
    assert all(p.suffix == ".png" and p.stat().st_size > 1000 for p in preview.pages)


def test_print_preview_without_libreoffice_is_none(monkeypatch, tmp_path):
    monkeypatch.setattr("app.services.rulebooks.templates.to_pdf", lambda *a, **k: None)
    document, preview = templates.preview_template("notice")
    assert document.is_file() and preview is None


def test_check_points_for_the_check_form(database, dept_id):
    import_check_items(database, ACTOR, bundled_lists()[-1])
    first, second = [i.id for i in rulebooks.department_items(database, dept_id)[:2]]
    guide = rulebooks.get_guide(database, first)
    guide.check_points = ["亮照经营情况。"]
    rulebooks.save_guide(database, ACTOR, guide)
    points = rulebooks.check_points(database, [first, second])
    assert points[first] == ["亮照经营情况。"]
    assert points[second] == rulebooks.get_guide(database, second).check_points  # defaults
