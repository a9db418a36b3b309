"""The template store: bundled originals, the office's copies, 恢复默认."""
from __future__ import annotations

import pytest
from docx import Document

from app.documents import DOCUMENT_KINDS, TemplateProblem, TemplateStore, bundled_forms_dir, get_kind

from .conftest import notice


def test_every_kind_has_a_shipped_template_that_loads(store):
    for kind in DOCUMENT_KINDS.values():
        assert store.path_for(kind) == bundled_forms_dir() / kind.filename
        assert not store.is_customised(kind)
        store.load(kind)


def test_edited_copy_is_used_and_restore_default_puts_the_original_back(store, tmp_path):
    copy = store.open_user_copy("notice")
    assert copy.parent == store.user_dir and copy.is_file()
    assert store.path_for("notice") == copy and store.is_customised("notice")
    assert store.open_user_copy("notice") == copy  # a second call keeps the edits

    doc = Document(copy)  # the clerk changes the wording in WPS/Word
    para = next(p for p in doc.paragraphs if p.text == "特此告知。")
    para.runs[0].text = "特此告知，请予配合。"
    doc.save(copy)
    out = store.load("notice").render(notice(), tmp_path / "edited.docx")
    assert "特此告知，请予配合。" in [p.text for p in Document(out).paragraphs]

    backup = store.restore_default("notice")
    assert backup is not None and backup.is_file() and backup.name.endswith(".bak")
    assert store.path_for("notice") == bundled_forms_dir() / "检查结果告知书.docx"
    out = store.load("notice").render(notice(), tmp_path / "restored.docx")
    assert "特此告知。" in [p.text for p in Document(out).paragraphs]
    assert store.restore_default("notice") is None


def test_a_broken_user_copy_is_reported_not_silently_replaced(store):
    copy = store.open_user_copy("notice")
    copy.write_bytes(b"not a docx")
    with pytest.raises(TemplateProblem) as info:
        store.load("notice")
    assert "检查结果告知书.docx" in str(info.value)
    store.restore_default("notice")
    store.load("notice")


def test_kind_lookup_by_code_title_or_file_name():
    assert get_kind("notice") is get_kind("检查结果告知书") is get_kind("检查结果告知书.docx")
    with pytest.raises(KeyError, match="没有“告知单”这种文书"):
        get_kind("告知单")


def test_describe_lists_fields_for_the_settings_page():
    text = DOCUMENT_KINDS["check_form"].describe()
    assert "被检查单位" in text and "检查事项[].检查要点" in text


def test_store_defaults_to_the_bundled_forms(tmp_path):
    assert TemplateStore(tmp_path).bundled_dir == bundled_forms_dir()
