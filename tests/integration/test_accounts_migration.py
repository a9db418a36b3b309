"""Upgrading a database written before accounts: old audit entries keep their hashes and get
sequence numbers; a user's single role becomes a list (both backends)."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.db import migrate
from app.db.session import Database
from app.services.system import audit
from tests.actors import CLERK


def test_an_old_audit_log_and_users_survive_the_upgrade(empty_url):
    db = Database(empty_url)
    try:
        migrate.upgrade(db.engine, "0001")
        prev = audit.GENESIS
        with db.engine.begin() as conn:
            for i in range(3):
                at, details = f"2026-01-0{i + 1}T08:00:00.000000", {"序号": i}
                digest = audit.legacy_entry_hash(at, "王芳@旧电脑", "修改设置", "settings", "", details, prev)
                conn.execute(text("INSERT INTO audit_log (at, actor, action, entity, entity_id, details, prev_hash, hash) "
                                  "VALUES (:at, '王芳@旧电脑', '修改设置', 'settings', '', :details, :prev, :hash)"),
                             {"at": at, "details": '{"序号": %d}' % i, "prev": prev, "hash": digest})
                prev = digest
            conn.execute(text("INSERT INTO users (username, display_name, role, password_hash, active) "
                              "VALUES ('wangfang', '王芳', '经办人', 'x', :yes)"), {"yes": True})
        migrate.upgrade(db.engine)
        with db.session() as session:
            report = audit.verify_chain(session)
            assert report.ok and report.entries == 3 and report.head == f"3:{prev}"
            audit.record(session, CLERK, "修改设置", "settings", "", {"序号": 3})
        with db.session() as session:
            assert audit.verify_chain(session, f"3:{prev}").ok
            rows = session.execute(text("SELECT seq, scheme FROM audit_log ORDER BY seq")).all()
            roles = session.execute(text("SELECT roles FROM users")).scalar()
        assert [tuple(r) for r in rows] == [(1, 1), (2, 1), (3, 1), (4, 2)]
        assert (roles if isinstance(roles, list) else json.loads(roles)) == ["经办人"]
    finally:
        db.dispose()
