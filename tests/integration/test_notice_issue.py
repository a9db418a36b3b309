"""Issuing 检查结果告知书: numbering per department and year, gapless under concurrency and failure; 作废 and reissue."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest
from sqlalchemy import select

from app.db.models import AuditEntry, IssuedDocument
from app.db.session import Database
from app.domain.notices import DRAW_RECORD, NOTICE
from app.services.system import settings
from app.services.accounts import NotPermitted
from app.services.errors import UserError
from app.services.notices import issue
from app.services.progress import Progress
from tests.actors import ADMIN, CLERK, CLERK2, READER
from tests.integration.notice_county import ISSUED, approved_task


@pytest.fixture
def approved(database, tmp_path):
    settings.save_settings(database, ADMIN, {"notice_contact": "王可", "notice_phone": "0310-2837912"})
    task_id, ids = approved_task(database, tmp_path / "包")
    return database, task_id, ids


def _numbers(db: Database, kind: str = NOTICE) -> list[tuple[int, str, bool]]:
    with db.session() as session:
        rows = session.execute(select(IssuedDocument.serial, IssuedDocument.number_text, IssuedDocument.voided_at)
                               .where(IssuedDocument.kind == kind).order_by(IssuedDocument.serial)).all()
    return [(serial, number, voided is not None) for serial, number, voided in rows]


def _text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_a_task_s_notices_are_numbered_in_order_and_say_what_was_found(approved):
    db, task_id, ids = approved
    issued = issue.issue_notices(db, CLERK, task_id, today=ISSUED)
    assert [n.inspection_id for n in issued] == ids
    assert [n.number for n in issued] == [f"禾市监抽告〔2026〕{i}号" for i in range(1, 11)]
    files = [data for _, data in issue.notice_files(db, task_id)]
    problem = _text(files[1])
    assert "冷藏柜温度 12℃，超过标示温度" in problem and "2026年12月10日前完成整改" in problem
    assert "国家企业信用信息公示系统" in problem and "王可" in problem and issued[1].number in problem
    assert issued[1].subject in problem and issued[1].subject_code in problem
    assert "完成整改" not in _text(files[0])
    assert _numbers(db, DRAW_RECORD)[0][0] == 1  # the draw record is in the register too
    with pytest.raises(UserError, match="没有可出具"):  # issuing again issues nothing new
        issue.issue_notices(db, CLERK, task_id, today=ISSUED)


def test_only_clerks_issue_and_only_approved_results_get_a_notice(database, tmp_path):
    task_id, chosen = approved_task(database, tmp_path / "包", approve=4)
    with pytest.raises(NotPermitted):
        issue.issue_notices(database, READER, task_id, today=ISSUED)
    assert len(issue.issue_notices(database, CLERK, task_id, today=ISSUED)) == 4
    with database.session() as session:
        others = session.scalars(select(IssuedDocument.inspection_id).where(IssuedDocument.kind == NOTICE)).all()
    assert sorted(others) == sorted(chosen)


def test_a_failure_mid_batch_leaves_no_number_used(approved):
    db, task_id, _ = approved

    def fail_at_fifth(done, total, label):
        if done == 5:
            raise OSError("磁盘已满")

    with pytest.raises(OSError):
        issue.issue_notices(db, CLERK, task_id, today=ISSUED, progress=Progress(fail_at_fifth))
    assert _numbers(db) == [] and _numbers(db, DRAW_RECORD) == []
    issued = issue.issue_notices(db, CLERK, task_id, today=ISSUED)
    assert [s for s, _, _ in _numbers(db)] == list(range(1, len(issued) + 1))


def test_two_pcs_issuing_at_once_get_no_duplicate_and_no_gap(approved):
    db, task_id, ids = approved
    other = Database(db.url)  # a second PC: its own engine and connections
    outcomes: dict[str, object] = {}

    def run(name, database, chosen):
        try:
            outcomes[name] = len(issue.issue_notices(database, CLERK, task_id, chosen, today=ISSUED))
        except UserError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=run, args=("a", db, ids[:5])),
               threading.Thread(target=run, args=("b", other, ids[5:])),
               threading.Thread(target=run, args=("c", Database(db.url), ids[:5]))]  # the same five again
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    other.dispose()
    serials = [s for s, _, _ in _numbers(db)]
    assert serials == list(range(1, 11))  # all ten, once each, no gap
    counts = sorted(v for v in outcomes.values() if isinstance(v, int))
    assert counts == [5, 5] and sum(isinstance(v, UserError) for v in outcomes.values()) == 1


def test_void_keeps_the_number_and_a_reissue_takes_the_next(approved):
    db, task_id, ids = approved
    issued = issue.issue_notices(db, CLERK, task_id, ids[:3], today=ISSUED)
    with pytest.raises(NotPermitted):
        issue.void_notice(db, READER, issued[1].number, "对象名称错误")
    with pytest.raises(UserError, match="原因"):
        issue.void_notice(db, CLERK, issued[1].number, "  ")
    issue.void_notice(db, CLERK2, issued[1].number, "对象名称错误")
    with pytest.raises(UserError, match="已于"):
        issue.void_notice(db, CLERK, issued[1].number, "再次作废")
    again = issue.issue_notices(db, CLERK, task_id, [ids[1]], today=ISSUED)
    assert _numbers(db) == [(1, issued[0].number, False), (2, issued[1].number, True), (3, issued[2].number, False),
                            (4, again[0].number, False)]
    with db.session() as session:
        new = session.get(IssuedDocument, again[0].id)
        assert new.replaces_id == issued[1].id and new.inspection_id == ids[1]
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "作废检查结果告知书")).all()
    assert len(issue.notice_files(db, task_id)) == 3  # printing leaves the voided one out


def test_the_number_follows_the_office_s_pattern_and_a_pattern_without_serial_is_refused(approved):
    db, task_id, ids = approved
    settings.save_settings(db, ADMIN, {"notice_number_pattern": "{简称}告〔{年}〕第{序号}号"})
    assert issue.issue_notices(db, CLERK, task_id, ids[:1], today=ISSUED)[0].number == "禾市监告〔2026〕第1号"
    settings.save_settings(db, ADMIN, {"notice_number_pattern": "{简称}告〔{年}〕号"})
    with pytest.raises(UserError, match="序号"):
        issue.issue_notices(db, CLERK, task_id, ids[1:2], today=ISSUED)
    assert [s for s, _, _ in _numbers(db)] == [1]
