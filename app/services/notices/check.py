"""Checking a scanned notice (its QR text) or a notice file against the register."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.db.models import IssuedDocument
from app.db.session import Database
from app.domain.notices import NOTICE, parse_notice_qr


@dataclass(frozen=True)
class CheckResult:
    matches: bool  # the code (or file) is exactly what the register holds
    voided: bool
    number: str
    message: str  # Chinese, for the page and the CLI


def _status(document: IssuedDocument) -> tuple[bool, str]:
    if document.voided_at is not None:
        return True, f"但该告知书已于 {document.voided_at:%Y-%m-%d} 作废（原因：{document.void_reason}），不再有效。"
    return False, "该告知书有效。"


def check_text(db: Database, text: str) -> CheckResult:
    """A QR text (or a typed 文号): does it match the register, and is the notice voided?"""
    text = text.strip()
    ref = parse_notice_qr(text)
    with db.session() as session:
        if ref is None:
            document = session.scalars(select(IssuedDocument).where(
                IssuedDocument.kind == NOTICE, IssuedDocument.number_text == text)).first()
            if document is None:
                return CheckResult(False, False, "", f"“{text[:60]}”不是告知书的核验码，登记簿中也没有这个文号。")
            voided, status = _status(document)
            return CheckResult(True, voided, document.number_text,
                               f"登记簿中有文号“{document.number_text}”（{document.issued_at:%Y-%m-%d} 出具）；{status}")
        document = session.scalars(select(IssuedDocument).where(
            IssuedDocument.kind == NOTICE, IssuedDocument.department_id == ref.department_id,
            IssuedDocument.year == ref.year, IssuedDocument.serial == ref.serial)).first()
        if document is None:
            return CheckResult(False, False, "", "登记簿中没有这份告知书：核验码所指的文号从未出具。")
        registered = document.qr_text.split(":")[2].upper()
        number = document.number_text
        if registered != ref.subject_code:
            return CheckResult(False, False, number, f"核验码中的检查对象代码 {ref.subject_code} 与登记簿中“{number}”"
                                                     f"的对象代码 {registered} 不一致：告知书可能被篡改。")
        if document.text_sha256 != ref.sha256:
            return CheckResult(False, False, number, f"核验码中的内容摘要与登记簿中“{number}”的不一致：告知书内容可能被篡改。")
        voided, status = _status(document)
        return CheckResult(True, voided, number, f"与登记簿一致：{number}；{status}")


def _number_in(data: bytes, numbers: list[str]) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = archive.read("word/document.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        return None
    return next((n for n in numbers if n in text), None)


def check_file(db: Database, path: str | os.PathLike) -> CheckResult:
    """Is this .docx exactly a notice as issued? A changed byte makes it differ from the register."""
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    with db.session() as session:
        document = session.scalars(select(IssuedDocument).where(
            IssuedDocument.kind == NOTICE, IssuedDocument.sha256 == digest)).first()
        if document is not None:
            voided, status = _status(document)
            return CheckResult(True, voided, document.number_text,
                               f"文件与登记簿中“{document.number_text}”出具时的文件完全一致；{status}")
        numbers = list(session.scalars(select(IssuedDocument.number_text).where(IssuedDocument.kind == NOTICE)))
    number = _number_in(data, sorted(numbers, key=len, reverse=True))
    if number is None:
        return CheckResult(False, False, "", f"文件“{path.name}”不是登记簿中出具的任何告知书。")
    return CheckResult(False, False, number, f"文件“{path.name}”写有文号“{number}”，但与出具时登记的文件不一致"
                                             "（SHA-256 不同）：文件已被修改。")
