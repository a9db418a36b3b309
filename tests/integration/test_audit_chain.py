"""The hash-chained audit log: appends link up, and any tampering is named."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.db.models import AuditEntry
from app.services.system import audit
def _append(database, n: int) -> list[int]:
    ids = []
    with database.session() as session:
        for i in range(n):
            ids.append(audit.record(session, "张三@县局", "修改设置", "settings", i, {"序号": i, "说明": "测试"}).id)
    return ids


def test_fresh_chain_verifies(database):
    _append(database, 5)
    with database.session() as session:
        report = audit.verify_chain(session)
    assert report.ok and report.entries == 5


def test_entries_link_to_their_predecessor(database):
    _append(database, 3)
    with database.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]


def test_changed_details_are_named(database):
    ids = _append(database, 4)
    with database.session() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == ids[2]).values(details={"序号": 99}))
    with database.session() as session:
        report = audit.verify_chain(session)
    assert not report.ok
    assert report.broken_id == ids[2]
    assert "改动" in report.problem


def test_deleted_entry_breaks_the_next_link(database):
    ids = _append(database, 4)
    with database.session() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == ids[1]))
    with database.session() as session:
        report = audit.verify_chain(session)
    assert report.broken_id == ids[2]
    assert "链接断开" in report.problem


def test_chain_cannot_fork(database):
    _append(database, 1)
    with database.session() as session:
        first = session.scalars(select(AuditEntry)).one()
    with pytest.raises(IntegrityError):
        with database.session() as session:
            session.add(AuditEntry(at="x", actor="x", action="x", entity="", entity_id="",
                                   details={}, prev_hash=first.prev_hash, hash="f" * 64))
