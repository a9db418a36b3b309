"""The append-only, hash-chained audit log.

Each entry stores the hash of the entry before it; ``prev_hash`` is unique, so
two writers can never fork the chain (one of them fails and retries). ``seq``
numbers the entries 1, 2, 3 … without gaps and is part of the hash, so a head
written down as ``SEQ:HASH`` pins the whole history up to it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    scheme: Mapped[int] = mapped_column(SmallInteger, default=2)  # 1: entries written before accounts
    at: Mapped[str] = mapped_column(String(32))  # ISO-8601 local time, part of the hash
    actor: Mapped[str] = mapped_column(String(100))  # the account's real name
    username: Mapped[str] = mapped_column(String(50), default="")
    role: Mapped[str] = mapped_column(String(50), default="")  # the role the action needed
    pc: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(50), index=True)
    entity: Mapped[str] = mapped_column(String(50), default="")
    entity_id: Mapped[str] = mapped_column(String(50), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
