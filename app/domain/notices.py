"""检查结果告知书 and the register (PRODUCT.md §2 G): kinds, 送达 methods, the QR text, the text hash.

The QR text is ASCII only (a USB scanner types it like a keyboard, and keyboard layouts lose
Chinese): it names the notice by department, year and serial, the subject's code, and the
SHA-256 of the notice's text as issued. A file cannot carry its own hash, so the QR names the
hash of what the notice says; the register keeps the issued file's bytes and their SHA-256 too,
so a scan and a file can both be checked against it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

NOTICE = "检查结果告知书"
DRAW_RECORD = "抽取过程记录"

QR_PREFIX = "SSJGZ"

DEFAULT_UNDELIVERED_DAYS = 10


class DeliveryMethod(StrEnum):
    """送达方式."""

    DIRECT = "直接送达"
    POST = "邮寄送达"
    ELECTRONIC = "电子送达"
    LEFT = "留置送达"
    PUBLIC = "公告送达"


DELIVERY_METHODS: tuple[str, ...] = tuple(m.value for m in DeliveryMethod)
#: methods where a person signs a 送达回证
RECEIPT_METHODS = (DeliveryMethod.DIRECT, DeliveryMethod.LEFT)


def delivery_problems(method: str, delivered_on: date | None, tracking_no: str, issued_on: date,
                      today: date) -> list[str]:
    """Why a 送达 record cannot be stored (empty: it can)."""
    problems = []
    if method not in DELIVERY_METHODS:
        problems.append(f"“{method}”不是送达方式（可选：{'、'.join(DELIVERY_METHODS)}）。")
    if delivered_on is None:
        problems.append("请填写送达日期。")
    elif delivered_on < issued_on:
        problems.append(f"送达日期 {delivered_on:%Y-%m-%d} 早于告知书成文日期 {issued_on:%Y-%m-%d}。")
    elif delivered_on > today:
        problems.append(f"送达日期 {delivered_on:%Y-%m-%d} 晚于今天，请核对。")
    if method == DeliveryMethod.POST and not tracking_no.strip():
        problems.append("邮寄送达须填写邮件号（快递单号）。")
    return problems


def overdue_since(today: date, days: int) -> date:
    """Notices issued before this day and still undelivered are listed as overdue."""
    return today - timedelta(days=days)


def text_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 of a notice's text: its fields as canonical JSON (the QR field itself excluded)."""
    payload = json.dumps({k: v for k, v in fields.items() if k != "核验二维码"}, ensure_ascii=False,
                         sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NoticeRef:
    """What a notice's QR code says."""

    department_id: int
    year: int
    serial: int
    subject_code: str
    sha256: str

    @property
    def text(self) -> str:
        return f"{QR_PREFIX}:{self.department_id}-{self.year}-{self.serial}:{self.subject_code}:{self.sha256}"


def parse_notice_qr(text: str) -> NoticeRef | None:
    """The reference in a scanned or typed QR text; None when the text is not a notice's code."""
    parts = text.strip().split(":")
    if len(parts) != 4 or parts[0].upper() != QR_PREFIX:
        return None
    number = parts[1].split("-")
    digest = parts[3].lower()
    if len(number) != 3 or not all(n.isdecimal() for n in number) or len(digest) != 64 \
            or any(c not in "0123456789abcdef" for c in digest):
        return None
    return NoticeRef(int(number[0]), int(number[1]), int(number[2]), parts[2].upper(), digest)


def safe_cell(value: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula: text starting = + - @ gets a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
