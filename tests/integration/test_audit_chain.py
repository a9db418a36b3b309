"""The anchored audit log: appends link up and are numbered; against a head written down earlier,
cutting the tail, deleting everything, forging entries and rewriting history are each named by
the first sequence number that is missing or no longer the same."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.db.models import AuditEntry
from app.services.system import audit
from app.services.system import settings
from app.services.errors import UserError
from tests.actors import ADMIN, CLERK


def _append(database, n: int, actor=CLERK) -> None:
    with database.session() as session:
        for i in range(n):
            audit.record(session, actor, "修改设置", "settings", i, {"序号": i, "说明": "测试"})


def _head(database) -> str:
    with database.session() as session:
        return audit.head(session)


def _verify(database, head: str | None = None) -> audit.ChainReport:
    with database.session() as session:
        return audit.verify_chain(session, head)


def _delete_from(database, seq: int) -> None:
    with database.session() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq >= seq))


def _forge(session, seq: int, prev_hash: str, action: str = "修改设置") -> AuditEntry:
    """What someone with the database and this source code can do: a well-formed entry, hash recomputed."""
    entry = AuditEntry(seq=seq, scheme=audit.SCHEME, at="2026-11-23T09:00:00.000000", username="clerk",
                       actor=CLERK.name, role="经办人", pc="测试机", action=action, entity="settings",
                       entity_id="1", details={"序号": 1, "说明": "伪造"}, prev_hash=prev_hash)
    entry.hash = audit.hash_of(entry)
    session.add(entry)
    return entry


def test_fresh_chain_verifies_and_its_head_names_the_last_entry(database):
    _append(database, 5)
    report = _verify(database)
    with database.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert report.ok and report.entries == 5
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert report.head == _head(database) == f"5:{entries[-1].hash}"
    assert _verify(database, report.head).ok


def test_an_empty_log_has_the_genesis_head(database):
    assert _head(database) == f"0:{audit.GENESIS}"
    assert _verify(database).ok


def test_entries_link_to_their_predecessor_and_name_account_role_and_pc(database):
    settings.save_settings(database, ADMIN, {settings.OFFICE_NAME: "青禾县市场监督管理局"})
    _append(database, 2)
    with database.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert entries[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    first = entries[0]
    assert (first.username, first.actor, first.role, first.pc) == ("admin", ADMIN.name, "管理员", "测试机")
    assert first.details[settings.OFFICE_NAME] == ["", "青禾县市场监督管理局"]  # before, after
    assert (entries[1].username, entries[1].role) == ("clerk", "经办人")


def test_changed_details_are_named(database):
    _append(database, 4)
    with database.session() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(details={"序号": 99}))
    report = _verify(database)
    assert not report.ok and report.broken_seq == 3 and "改动" in report.problem


def test_a_deleted_middle_entry_is_named_as_missing(database):
    _append(database, 4)
    with database.session() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    report = _verify(database)
    assert report.broken_seq == 2 and "缺失" in report.problem


@pytest.mark.parametrize("cut", [1, 5])
def test_deleting_the_last_entries_is_caught_against_an_earlier_head(database, cut):
    _append(database, 12)
    head = _head(database)
    _delete_from(database, 13 - cut)
    assert _verify(database).ok  # what remains is a valid chain by itself …
    report = _verify(database, head)  # … but no longer reaches the head written down
    assert not report.ok and report.broken_seq == 13 - cut
    assert "缺失" in report.problem and f"第 {13 - cut} 至 12 号被删除" in report.problem


def test_deleting_every_entry_is_caught_against_an_earlier_head(database):
    _append(database, 6)
    head = _head(database)
    _delete_from(database, 1)
    assert _verify(database).ok and _verify(database).entries == 0
    report = _verify(database, head)
    assert report.broken_seq == 1 and "全部记录被删除" in report.problem


def test_a_forged_entry_appended_in_place_of_a_deleted_one_is_caught(database):
    _append(database, 8)
    head = _head(database)
    _delete_from(database, 8)
    with database.session() as session:
        seventh = session.scalars(select(AuditEntry).where(AuditEntry.seq == 7)).one()
        _forge(session, 8, seventh.hash)
    assert _verify(database).ok  # the hash was computed correctly
    report = _verify(database, head)
    assert report.broken_seq == 8 and "伪造" in report.problem


def test_a_history_rewritten_from_the_middle_with_recomputed_hashes_is_caught(database):
    _append(database, 10)
    head = _head(database)
    _delete_from(database, 4)
    with database.session() as session:
        prev = session.scalars(select(AuditEntry).where(AuditEntry.seq == 3)).one().hash
        for seq in range(4, 12):  # a different history, even one entry longer
            prev = _forge(session, seq, prev, action=f"改写{seq}").hash
            session.flush()
    assert _verify(database).ok
    report = _verify(database, head)
    assert report.broken_seq == 10 and "改写" in report.problem


def test_a_middle_entry_rewritten_without_recomputing_is_named_exactly(database):
    _append(database, 10)
    head = _head(database)
    with database.session() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq >= 6).values(actor="别人"))
    report = _verify(database, head)
    assert report.broken_seq == 6 and "改动" in report.problem


def test_later_entries_keep_an_earlier_head_valid(database):
    _append(database, 3)
    head = _head(database)
    _append(database, 4)
    assert _verify(database, head).ok and _verify(database, head).entries == 7


def test_a_malformed_head_is_refused_in_chinese(database):
    with pytest.raises(UserError, match="链头"):
        _verify(database, "12-abc")


def test_entries_written_before_accounts_still_verify(database):
    """Entries of the old scheme (no seq, account, role or PC in the hash) are not rewritten by the upgrade."""
    with database.session() as session:
        old = AuditEntry(seq=1, scheme=1, at="2026-01-01T08:00:00.000000", actor="王芳@旧电脑", action="修改设置",
                         entity="settings", entity_id="", details={"a": 1}, prev_hash=audit.GENESIS)
        old.hash = audit.legacy_entry_hash(old.at, old.actor, old.action, old.entity, old.entity_id, old.details,
                                           old.prev_hash)
        session.add(old)
    _append(database, 2)
    assert _verify(database).ok and _verify(database).entries == 3


def test_chain_cannot_fork(database):
    _append(database, 1)
    with database.session() as session:
        first = session.scalars(select(AuditEntry)).one()
    with pytest.raises(IntegrityError):
        with database.session() as session:
            session.add(AuditEntry(seq=2, at="x", actor="x", action="x", entity="", entity_id="",
                                   details={}, prev_hash=first.prev_hash, hash="f" * 64))
    with pytest.raises(IntegrityError):
        with database.session() as session:
            session.add(AuditEntry(seq=1, at="x", actor="x", action="x", entity="", entity_id="",
                                   details={}, prev_hash="e" * 64, hash="f" * 64))
