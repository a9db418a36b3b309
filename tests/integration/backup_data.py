"""Data for the backup, restore and archive tests: subjects with audit entries, written fast."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from pathlib import Path

from app.db.models import Subject
from app.domain.credit_code import compute_check_char
from app.domain.accounts import Actor
from app.services.system import audit
from tests.actors import CLERK
def credit_code(number: int) -> str:
    body = f"91410100{number:09d}"
    return body + compute_check_char(body)


def add_subjects(db, first: int, count: int, actor: Actor = CLERK) -> None:
    """``count`` subjects numbered from ``first`` and one audit entry saying so, in one transaction."""
    with db.session() as session:
        session.add_all(Subject(credit_code=credit_code(i), name=f"测试第{i}号商店") for i in range(first, first + count))
        audit.record(session, actor, "测试添加", "subjects", first, {"户数": count})


def subject_count(db) -> int:
    from sqlalchemy import func, select

    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Subject))


def bulk_sqlite(path: Path, count: int) -> None:
    """Many subjects at once through sqlite3 (the tests that need a large file)."""
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO subjects (credit_code, name, subject_type, legal_representative, phone, address, region, "
            "industry, registration_status, registration_authority, risk_class, abnormal_operation, "
            "serious_violation, key_supervision) VALUES (?, ?, '', '', '', ?, '城关镇', '', '存续', '', 'B', 0, 0, 0)",
            ((credit_code(i), f"批量第{i}号商贸有限公司", f"人民路{i}号" * 4) for i in range(count)))
    connection.close()


def write_subjects_csv(path: Path, first: int, count: int) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["统一社会信用代码", "企业名称", "所属乡镇", "信用风险分类"])
        for i in range(first, first + count):
            writer.writerow([credit_code(i), f"导入第{i}号商贸有限公司", "城关镇", "ABCD"[i % 4]])
    return path


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
