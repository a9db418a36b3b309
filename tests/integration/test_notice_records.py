"""After issuing: the QR/file check, 送达 and 送达回证, the register and its export, evidence files, 一次一档."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from app.domain.notices import DRAW_RECORD, NOTICE, NoticeRef, parse_notice_qr
from app.services.accounts import NotPermitted
from app.services.errors import UserError
from app.services.inspection import evidence
from app.services.notices import archive, check, delivery, issue, register
from app.services.notices.delivery import DeliveryInput
from tests.actors import CLERK, READER
from tests.integration.notice_county import ISSUED, approved_task


@pytest.fixture
def issued(database, tmp_path):
    task_id, ids = approved_task(database, tmp_path / "包")
    notices = issue.issue_notices(database, CLERK, task_id, today=ISSUED)
    return database, task_id, ids, notices


def test_a_scanned_code_matches_the_register_and_a_tampered_one_or_file_fails(issued, tmp_path):
    db, task_id, _, notices = issued
    first = notices[0]
    result = check.check_text(db, first.qr_text)
    assert result.matches and not result.voided and result.number == first.number and "有效" in result.message
    ref = parse_notice_qr(first.qr_text)
    forged = NoticeRef(ref.department_id, ref.year, ref.serial, ref.subject_code, "0" * 64).text
    assert not check.check_text(db, forged).matches and "篡改" in check.check_text(db, forged).message
    other = NoticeRef(ref.department_id, ref.year, ref.serial, notices[1].subject_code, ref.sha256).text
    assert "对象代码" in check.check_text(db, other).message
    assert "从未出具" in check.check_text(db, NoticeRef(ref.department_id, ref.year, 999, ref.subject_code,
                                                         ref.sha256).text).message
    assert not check.check_text(db, "随便什么字").matches

    name, data = issue.notice_files(db, task_id)[0]
    kept = tmp_path / name
    kept.write_bytes(data)
    assert check.check_file(db, kept).matches
    tampered = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(kept, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                content = content.replace("发现".encode(), "未见".encode()) + b" "
            target.writestr(item, content)
    assert bytes(tampered) != kept.read_bytes()
    verdict = check.check_file(db, kept)
    assert not verdict.matches and verdict.number == first.number and "已被修改" in verdict.message

    issue.void_notice(db, CLERK, first.number, "地址有误")
    voided = check.check_text(db, first.qr_text)
    assert voided.matches and voided.voided and "地址有误" in voided.message


def test_delivery_is_recorded_checked_and_the_undelivered_are_listed(issued, tmp_path):
    db, _, _, notices = issued
    later = ISSUED + timedelta(days=11)
    with pytest.raises(NotPermitted):
        delivery.record_delivery(db, READER, notices[0].number, DeliveryInput("直接送达", ISSUED), today=later)
    with pytest.raises(UserError, match="邮件号"):
        delivery.record_delivery(db, CLERK, notices[0].number, DeliveryInput("邮寄送达", ISSUED), today=later)
    with pytest.raises(UserError, match="早于"):
        delivery.record_delivery(db, CLERK, notices[0].number, DeliveryInput("直接送达", date(2026, 1, 1)), today=later)
    delivery.record_delivery(db, CLERK, notices[0].number, DeliveryInput("直接送达", ISSUED, recipient="张店长"),
                             today=later)
    delivery.record_delivery(db, CLERK, notices[1].number,
                             DeliveryInput("邮寄送达", ISSUED + timedelta(days=2), "EMS1234567890"), today=later)
    assert delivery.undelivered(db, today=ISSUED + timedelta(days=5)) == []  # not yet ten days
    late = delivery.undelivered(db, today=later)
    assert [u.number for u in late] == [n.number for n in notices[2:]] and late[0].days == 11
    assert len(delivery.undelivered(db, days=30, today=later)) == 0

    out = tmp_path / "送达回证.docx"
    assert delivery.print_receipts(db, [notices[0].number, notices[2].number], out, server="王可、李明") == 2
    text = "\n".join(c.text for t in Document(out).tables for r in t.rows for c in r.cells)
    assert notices[0].number in text and notices[0].subject in text and "王可、李明" in text

    issue.void_notice(db, CLERK, notices[3].number, "重新出具")
    with pytest.raises(UserError, match="已作废"):
        delivery.record_delivery(db, CLERK, notices[3].number, DeliveryInput("直接送达", ISSUED), today=later)


def test_the_register_lists_searches_and_exports_every_issued_document(issued, tmp_path):
    db, _, _, notices = issued
    delivery.record_delivery(db, CLERK, notices[0].number, DeliveryInput("邮寄送达", ISSUED, "=HYPERLINK(1)"),
                             today=ISSUED)
    issue.void_notice(db, CLERK, notices[1].number, "-对象名称错误")
    rows = register.register_rows(db, 2026)
    assert [r.kind for r in rows].count(NOTICE) == 10 and [r.kind for r in rows].count(DRAW_RECORD) == 1
    by_number = {r.number: r for r in rows}
    assert by_number[notices[0].number].delivery.startswith("邮寄送达 2026-11-30")
    assert by_number[notices[1].number].voided and by_number[notices[1].number].status == "已作废：-对象名称错误"
    assert [r.number for r in register.register_rows(db, 2026, notices[4].subject)] == [notices[4].number]
    assert register.register_rows(db, 2025) == []

    out = tmp_path / "登记簿.xlsx"
    assert register.export_register(db, 2026, out) == 11
    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    cells = {v for row in values for v in row if isinstance(v, str)}
    assert "'邮寄送达 2026-11-30（=HYPERLINK(1)）" not in cells  # only leading characters are neutralised
    assert "'已作废：-对象名称错误" not in cells and "已作废：-对象名称错误" in cells
    assert not any(isinstance(v, str) and v[:1] in "=+-@" for v in cells)


def test_evidence_files_are_kept_in_the_database_and_the_archive_names_a_changed_or_missing_file(issued, tmp_path):
    db, task_id, ids, notices = issued
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 100)
    big = tmp_path / "全部扫描.pdf"
    with big.open("wb") as f:
        f.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(UserError, match="20 MB"):
        evidence.attach_file(db, CLERK, ids[0], big)
    with pytest.raises(NotPermitted):
        evidence.attach_file(db, READER, ids[0], photo)
    row = evidence.attach_file(db, CLERK, ids[0], photo)
    assert [a.file_name for a in evidence.list_files(db, [ids[0]])] == ["现场照片.jpg"]
    assert evidence.file_bytes(db, row.id) == photo.read_bytes()
    issue.void_notice(db, CLERK, notices[2].number, "名称有误")

    result = archive.export_archive(db, task_id, tmp_path / "档案")
    assert result.inspections == 10 and result.zip.is_file()
    folders = {p.name for p in result.folder.iterdir() if p.is_dir()}
    assert f"{notices[0].number}_{notices[0].subject}" in folders and len(folders) == 10
    voided = result.folder / f"未出具告知书003_{notices[2].subject}"  # its notice was voided, none in force
    assert (voided / f"告知书_{notices[2].number}（已作废：名称有误）.docx").is_file()
    first = result.folder / f"{notices[0].number}_{notices[0].subject}"
    assert {p.name for p in first.iterdir()} == {"检查表.docx", f"告知书_{notices[0].number}.docx", "抽取摘录.json",
                                                 "检查结果.json", "证据材料"}
    assert (first / "证据材料" / f"{row.id}_现场照片.jpg").read_bytes() == photo.read_bytes()
    assert (first / f"告知书_{notices[0].number}.docx").read_bytes() == issue.notice_files(db, task_id)[0][1]
    assert "验证包 draw.json SHA-256" in (first / "抽取摘录.json").read_text(encoding="utf-8")
    problem_form = result.folder / f"{notices[1].number}_{notices[1].subject}" / "检查表.docx"
    form_text = "\n".join(c.text for t in Document(problem_form).tables for r in t.rows for c in r.cells)
    assert "冷藏柜温度 12℃，超过标示温度" in form_text
    assert archive.verify_archive(result.folder) == (True, [f"共 {result.files - 1} 个文件，与 manifest.sha256 一致。",
                                                            "通过"])

    results = first / "检查结果.json"
    data = bytearray(results.read_bytes())
    data[10] ^= 1
    results.write_bytes(bytes(data))
    (first / "抽取摘录.json").unlink()
    passed, lines = archive.verify_archive(tmp_path / "档案")
    assert not passed
    assert f"文件已被修改：{first.name}/检查结果.json" in lines and f"缺少文件：{first.name}/抽取摘录.json" in lines
    with zipfile.ZipFile(result.zip) as bundle:
        assert f"{result.folder.name}/manifest.sha256" in bundle.namelist()
