"""The hash-chained, anchored audit log: append inside the caller's transaction, verify the chain.

Every entry has a sequence number (1, 2, 3 … without gaps) and the hash of the entry
before it. Entry hash = SHA-256 over the canonical JSON of (seq, at, username, actor,
role, pc, action, entity, entity_id, details, prev_hash); the first entry's prev_hash
is 64 zeros. Entries written before accounts existed (scheme 1) keep their old hash,
over (at, actor, action, entity, entity_id, details, prev_hash).

A chain that checks out by itself proves only that nobody edited one entry without
recomputing the rest. The *head* — ``SEQ:HASH`` of the last entry — is therefore printed
on every 抽取过程记录 and written into every verification package: given a head taken
earlier, ``verify_chain`` also proves that the history up to it is still there, unchanged,
so cutting the tail, deleting everything, replacing entries with forged ones (hashes
correctly recomputed) or rewriting from the middle is reported with the first sequence
number that is missing or no longer the same.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.models import AuditEntry
from app.domain.accounts import Actor
from app.services.errors import UserError

GENESIS = "0" * 64
SCHEME = 2
HEAD_FORMAT = re.compile(r"^\s*(\d+):([0-9a-fA-F]{64})\s*$")

# The role the last ``require()`` in this thread/task granted to which account (see acting_role).
_granted: ContextVar[tuple[str, str] | None] = ContextVar("granted_role", default=None)


def granted(actor: Actor, role: str) -> None:
    """Called by ``accounts.require``: the role ``actor`` is using for the action being recorded."""
    _granted.set((actor.username, role))


def acting_role(actor: Actor) -> str:
    """The role the running service call was permitted under, else every role the account holds."""
    last = _granted.get()
    if last and last[0] == actor.username and last[1] in actor.roles:
        return last[1]
    return actor.roles_text


def legacy_entry_hash(
    at: str, actor: str, action: str, entity: str, entity_id: str, details: dict, prev_hash: str
) -> str:
    """The scheme-1 hash of entries written before accounts existed."""
    return _digest([at, actor, action, entity, entity_id, details, prev_hash])


def entry_hash(
    seq: int, at: str, username: str, actor: str, role: str, pc: str,
    action: str, entity: str, entity_id: str, details: dict, prev_hash: str,
) -> str:
    return _digest([seq, at, username, actor, role, pc, action, entity, entity_id, details, prev_hash])


def _digest(fields: list) -> str:
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    if entry.scheme == 1:
        return legacy_entry_hash(entry.at, entry.actor, entry.action, entry.entity, entry.entity_id,
                                 entry.details, entry.prev_hash)
    return entry_hash(entry.seq, entry.at, entry.username, entry.actor, entry.role, entry.pc, entry.action,
                      entry.entity, entry.entity_id, entry.details, entry.prev_hash)


def _lock_chain(session: Session) -> None:
    """Serialise appends across PCs sharing a PostgreSQL server."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(74201)"))


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """``{field: [before, after]}`` for the fields an edit changed (what audit entries record for edits)."""
    return {key: [before.get(key), after.get(key)] for key in {**before, **after}
            if before.get(key) != after.get(key)}


def apply_changes(row: Any, values: dict[str, Any]) -> dict[str, list]:
    """Set each value that differs on ``row``; returns {field: [old, new]} for the audit entry."""
    changes = {}
    for name, value in values.items():
        old = getattr(row, name, None)
        if old != value:
            changes[name] = [old, value]
            setattr(row, name, value)
    return changes


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str = "",
    entity_id: Any = "",
    details: dict[str, Any] | None = None,
    role: str | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the transaction that makes the change.

    For edits, put ``changes(before, after)`` into ``details``. ``role`` defaults to
    the role the service call's ``require()`` granted.
    """
    _lock_chain(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    prev, seq = (last.hash, last.seq + 1) if last else (GENESIS, 1)
    at = datetime.now().isoformat(timespec="microseconds")
    details = json.loads(json.dumps(details or {}, ensure_ascii=False, default=str))
    role = role if role is not None else acting_role(actor)
    entry = AuditEntry(
        seq=seq, scheme=SCHEME, at=at, username=actor.username, actor=actor.name, role=role, pc=actor.pc,
        action=action, entity=entity, entity_id=str(entity_id), details=details, prev_hash=prev,
    )
    entry.hash = hash_of(entry)
    session.add(entry)
    session.flush()
    return entry


def head(session: Session) -> str:
    """``SEQ:HASH`` of the last entry (``0:000…`` for an empty log): write it down to anchor the log."""
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return f"{last.seq}:{last.hash}" if last else f"0:{GENESIS}"


def parse_head(value: str) -> tuple[int, str]:
    match = HEAD_FORMAT.match(value or "")
    if not match:
        raise UserError(f"链头“{value}”的格式不对：应为“序号:64位十六进制哈希”，如 128:3fa4…。")
    return int(match.group(1)), match.group(2).lower()


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head: str
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None

    def describe(self) -> str:
        if self.ok:
            return f"审计日志完整：共 {self.entries} 条记录，哈希链校验通过。当前链头 {self.head}"
        return f"审计日志被改动：第 {self.broken_seq} 号记录 — {self.problem}。"


def verify_chain(session: Session, head: str | None = None) -> ChainReport:
    """Walk the chain in sequence order and name the first entry that does not hold.

    With ``head`` (``SEQ:HASH`` written down earlier), also check that entry SEQ is still
    in the chain with that hash — the history up to it was neither cut nor rewritten.
    """
    anchor = parse_head(head) if head else None
    expected_prev, expected_seq, count, current = GENESIS, 1, 0, f"0:{GENESIS}"
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(2000):
        if entry.seq != expected_seq:
            return ChainReport(count, current, expected_seq, f"该条缺失（第 {expected_seq} 至 {entry.seq - 1} 号被删除）")
        count += 1
        if entry.prev_hash != expected_prev:
            return ChainReport(count, current, entry.seq, "与前一条记录的链接断开（前一条被删除、插入或改动）")
        if hash_of(entry) != entry.hash:
            return ChainReport(count, current, entry.seq, "记录内容与其哈希不符（该条被改动）")
        if anchor and entry.seq == anchor[0] and entry.hash != anchor[1]:
            return ChainReport(count, current, entry.seq,
                               f"与先前记下的链头 {anchor[0]}:{anchor[1][:12]}… 不符"
                               "（该条被伪造替换，或它之前的记录被改写后重算了哈希）")
        expected_prev, expected_seq, current = entry.hash, entry.seq + 1, f"{entry.seq}:{entry.hash}"
    if anchor and anchor[0] >= expected_seq:
        missing = "全部记录被删除" if count == 0 else f"第 {expected_seq} 至 {anchor[0]} 号被删除"
        return ChainReport(count, current, expected_seq, f"该条缺失：先前记下的链头是第 {anchor[0]} 号，{missing}")
    return ChainReport(count, current)
