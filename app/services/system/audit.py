"""The hash-chained audit log: append inside the caller's transaction, verify the chain.

Entry hash = SHA-256 over the canonical JSON of (at, actor, action, entity,
entity_id, details, prev_hash). The first entry's prev_hash is 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.models import AuditEntry
from app.domain.accounts import Actor

GENESIS = "0" * 64


def entry_hash(
    at: str, actor: str, action: str, entity: str, entity_id: str, details: dict, prev_hash: str
) -> str:
    payload = json.dumps(
        [at, actor, action, entity, entity_id, details, prev_hash],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise appends across PCs sharing a PostgreSQL server."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(74201)"))


def record(
    session: Session,
    actor: "Actor | str",
    action: str,
    entity: str = "",
    entity_id: Any = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the transaction that makes the change."""
    actor = str(actor)
    _lock_chain(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    at = datetime.now().isoformat(timespec="microseconds")
    details = json.loads(json.dumps(details or {}, ensure_ascii=False, default=str))
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        details=details,
        prev_hash=prev,
        hash=entry_hash(at, actor, action, entity, str(entity_id), details, prev),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in order and name the first entry that does not hold."""
    expected_prev = GENESIS
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        if entry.prev_hash != expected_prev:
            return ChainReport(count, entry.id, "与前一条记录的链接断开（前一条被删除、插入或改动）")
        recomputed = entry_hash(
            entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, entry.details, entry.prev_hash
        )
        if recomputed != entry.hash:
            return ChainReport(count, entry.id, "记录内容与其哈希不符（该条被改动）")
        expected_prev = entry.hash
    return ChainReport(count)
