"""证据材料 kept with an inspection — both backends: adding (20 MB each, all or nothing), copies, and who may
remove a file when (only who added it, only while the result may still be changed), every change audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.db.models import AuditEntry, InspectionAttachment
from app.domain.inspection import MAX_EVIDENCE_BYTES, ItemOutcome, Outcome, size_text
from app.domain.replacement import ReplacementReason
from app.services.accounts import NotPermitted
from app.services.draw import ceremony as draws
from app.services.errors import UserError
from app.services.accounts import users
from app.services.inspection import entry, evidence, records
from app.services.system import audit
from tests.actors import CLERK, CLERK2, READER, REVIEWER, SUPERVISOR
from tests.integration.inspection_county import demo_county, draw_task, task_named


@pytest.fixture
def drawn(database, tmp_path):
    demo_county(database)
    users.create_demo_accounts(database)  # the accounts the names shown come from (clerk: 王芳)
    task_id = task_named(database, "食品销售经营者")
    view = draw_task(database, task_id, tmp_path / "包")
    return database, view, records.list_inspections(database, task_id)


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    scan = tmp_path / "营业执照扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    big = tmp_path / "全部扫描.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_EVIDENCE_BYTES + 1)
    empty = tmp_path / "空.jpg"
    empty.write_bytes(b"")
    return photo, scan, big, empty


def _audit(db, action: str) -> list[dict]:
    with db.session() as session:
        return [e.details for e in session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                                   .order_by(AuditEntry.seq))]


def _clean(db, inspection_id: int) -> Outcome:
    detail = records.get_inspection(db, inspection_id)
    return Outcome(inspected_on=date(2026, 11, 26), methods=("实地检查",),
                   items=tuple(ItemOutcome(i.check_item_id) for i in detail.items))


def test_files_are_added_together_listed_with_who_and_copied_back(drawn, files, tmp_path):
    db, _, rows = drawn
    photo, scan, _, _ = files
    added = evidence.add_files(db, CLERK, rows[0].id, [photo, scan])
    assert [f.file_name for f in added] == ["现场照片.jpg", "营业执照扫描件.pdf"]
    listed = evidence.list_files(db, rows[0].id)
    assert listed == added and evidence.list_files(db, rows[1].id) == []
    first = listed[0]
    assert first.size == photo.stat().st_size and first.size_text == "11 KB"
    assert first.added_by == "clerk" and first.added_by_name == "王芳"  # the name the users list gives the account
    unknown = evidence.add_files(db, CLERK2, rows[1].id, [photo])[0]
    assert unknown.added_by_name == "clerk2"  # an account the users list does not know: its username
    assert evidence.file_bytes(db, first.id) == photo.read_bytes()
    assert evidence.save_copy(db, first.id, tmp_path / "副本.jpg").read_bytes() == photo.read_bytes()
    viewing = evidence.copy_for_viewing(db, listed[1].id)
    assert viewing.name == "营业执照扫描件.pdf" and viewing.read_bytes() == scan.read_bytes()
    logged = _audit(db, "添加证据材料")
    assert [d["文件"] for d in logged] == ["现场照片.jpg", "营业执照扫描件.pdf", "现场照片.jpg"]
    assert logged[0]["SHA-256"] == first.sha256 and logged[0]["大小"] == first.size


def test_a_refused_file_is_named_and_nothing_is_stored(drawn, files, tmp_path):
    db, _, rows = drawn
    photo, _, big, empty = files
    with pytest.raises(UserError) as refused:
        evidence.add_files(db, CLERK, rows[0].id, [photo, big])
    assert "“全部扫描.pdf”有 20.1 MB，超过每个文件 20 MB 的上限" in str(refused.value)
    assert "其余 1 个文件也未添加" in str(refused.value)
    with pytest.raises(UserError, match="“空.jpg”是空文件"):
        evidence.add_files(db, CLERK, rows[0].id, [empty])
    with pytest.raises(UserError, match="不存在或不是文件"):
        evidence.add_files(db, CLERK, rows[0].id, [tmp_path / "没有这个文件.jpg"])
    with pytest.raises(NotPermitted):
        evidence.add_files(db, READER, rows[0].id, [photo])
    exactly = tmp_path / "恰好20MB.pdf"
    with exactly.open("wb") as f:
        f.truncate(MAX_EVIDENCE_BYTES)
    assert evidence.list_files(db, rows[0].id) == [] and _audit(db, "添加证据材料") == []
    assert evidence.attach_file(db, CLERK, rows[0].id, exactly).size == MAX_EVIDENCE_BYTES  # the limit itself is fine


def test_only_who_added_a_file_removes_it_with_a_reason_while_the_result_may_change(drawn, files):
    db, _, rows = drawn
    photo, scan, _, _ = files
    mine = evidence.attach_file(db, CLERK, rows[0].id, photo)
    theirs = evidence.attach_file(db, CLERK2, rows[0].id, scan)
    with pytest.raises(NotPermitted):
        evidence.remove_file(db, READER, mine.id, "误添加")
    with pytest.raises(UserError, match="须填写原因"):
        evidence.remove_file(db, CLERK, mine.id, "  ")
    with pytest.raises(UserError, match="只有添加人本人才能删除"):
        evidence.remove_file(db, CLERK, theirs.id, "误添加")
    assert evidence.removal_problem(theirs, "待检查", CLERK).endswith("只有添加人本人才能删除。")
    assert evidence.removal_problem(mine, "待检查", CLERK) == ""
    assert evidence.removal_problem(mine, "待检查", REVIEWER) == "只有经办人才能删除证据材料。"

    removed = evidence.remove_file(db, CLERK, mine.id, "选错了文件")
    assert removed.file_name == "现场照片.jpg"
    assert [f.id for f in evidence.list_files(db, rows[0].id)] == [theirs.id]
    with db.session() as session:
        assert session.get(InspectionAttachment, mine.id) is None
    entry_ = _audit(db, "删除证据材料")[-1]
    assert entry_["文件"] == "现场照片.jpg" and entry_["SHA-256"] == mine.sha256 and entry_["原因"] == "选错了文件"
    assert entry_["添加人"] == "王芳"
    with pytest.raises(UserError, match="已不存在"):
        evidence.remove_file(db, CLERK, mine.id, "再删一次")
    with db.session() as session:
        assert audit.verify_chain(session).ok


def test_once_submitted_the_evidence_stays_but_more_may_be_added(drawn, files):
    db, _, rows = drawn
    photo, scan, _, _ = files
    inspection_id = rows[0].id
    kept = evidence.attach_file(db, CLERK, inspection_id, photo)
    entry.save_result(db, CLERK, inspection_id, _clean(db, inspection_id))
    assert evidence.removal_problem(kept, "已录入", CLERK) == ""  # 已录入: still the clerk's to correct
    entry.submit(db, CLERK, [inspection_id])
    with pytest.raises(UserError, match="已提交审核，证据材料是审核的依据"):
        evidence.remove_file(db, CLERK, kept.id, "误添加")
    entry.return_results(db, REVIEWER, [inspection_id], "请补充照片说明")
    later = evidence.attach_file(db, CLERK, inspection_id, scan)  # returned: the clerk may add and correct
    evidence.remove_file(db, CLERK, later.id, "重复添加")
    entry.save_result(db, CLERK, inspection_id, replace(_clean(db, inspection_id), note="照片一为店招，照片二为后厨"))
    entry.submit(db, CLERK, [inspection_id])
    entry.approve(db, REVIEWER, [inspection_id])
    with pytest.raises(UserError, match="已审核通过，证据材料随检查结果归档"):
        evidence.remove_file(db, CLERK, kept.id, "误添加")
    follow_up = evidence.attach_file(db, CLERK, inspection_id, scan)  # e.g. the 整改 photos, after review
    assert [f.id for f in evidence.list_files(db, inspection_id)] == [kept.id, follow_up.id]


def test_a_replaced_subject_takes_no_evidence(drawn, files):
    db, view, rows = drawn
    photo, _, _, _ = files
    draws.replace_subject(db, CLERK, view.id, rows[0].subject_code, ReplacementReason.UNREACHABLE,
                          confirmed_by=SUPERVISOR)
    with pytest.raises(UserError, match="已被替换，不再检查"):
        evidence.attach_file(db, CLERK, rows[0].id, photo)


def test_size_text_never_rounds_down_past_the_limit():
    assert size_text(300) == "300 字节" and size_text(1025) == "2 KB"
    assert size_text(MAX_EVIDENCE_BYTES) == "20.0 MB" and size_text(MAX_EVIDENCE_BYTES + 1) == "20.1 MB"
