"""Importing 库1 (subjects) and 库2 (inspectors) from other systems' xlsx, xls and csv.

All or nothing: rows are written inside one transaction while the file streams
through the validator, and the transaction is rolled back at the end if any row
had an error — unless the clerk chose to import only the valid rows. A failed import
changes nothing. A large subject file bound for SQLite is read and validated in a
second process (services/subject_rows.py) while this one writes.
Subjects are upserted by 统一社会信用代码 (or 注册号 for 个体户 without one);
only the columns the file has are overwritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Date, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import Certificate, Department, Inspector, StatusPeriod
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress
from app.tabular.subject_rows import RowPlan, open_rows
from app.services.directory.subject_writer import CODE_FIELDS, INSERT_COLUMNS, SUBJECT_TABLE, BackgroundWriter, SubjectWriter
from app.tabular import (
    ERROR, INSPECTOR, SUBJECT, ColumnMapping, Issue, ParsedDirectory, TabularError, open_directory, read_directory,
)
from app.services.backup.write_lock import long_write



@dataclass
class DirectoryImportResult:
    kind: str
    rows: int = 0
    imported: int = 0
    updated: int = 0
    rejected: int = 0
    issues: list[Issue] = field(default_factory=list)
    committed: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity != ERROR)

    def to_json(self) -> dict:
        """The object `… import --json` prints."""
        return {"imported": self.imported, "updated": self.updated, "rejected": self.rejected,
                "warnings": self.warnings,
                "errors": [{"row": i.row, "column": i.column, "message": i.message} for i in self.errors]}

    def summary(self) -> str:
        if not self.committed:
            return (f"共 {self.rows:,} 行，发现 {len(self.errors):,} 处错误、{self.warnings:,} 处警告，"
                    "未导入任何数据。请按校验报告改正后重新导入，或选择“只导入正确的行”。")
        return (f"共 {self.rows:,} 行：新增 {self.imported:,} 户，更新 {self.updated:,} 户，"
                f"未导入 {self.rejected:,} 行，警告 {self.warnings:,} 处。")


def import_subjects(
    db: Database, actor: Actor, path: str | os.PathLike, mapping: ColumnMapping | None = None,
    valid_only: bool = False, progress: Progress = NO_PROGRESS, sheet: str | None = None,
) -> DirectoryImportResult:
    """``sheet`` names the worksheet to read (default: the first one with data)."""
    require(actor, Role.CLERK)
    try:
        rows = open_rows(path, mapping, ROW_PLAN, db.engine.dialect.name == "sqlite", sheet)
    except TabularError as exc:
        raise UserError(str(exc)) from exc
    try:
        return _import_rows(db, actor, path, rows, valid_only, progress)
    except TabularError as exc:  # found part-way (an encoding change): the transaction is rolled back
        raise UserError(str(exc)) from exc
    finally:
        rows.close()


def _import_rows(db: Database, actor: Actor, path, rows, valid_only: bool, progress: Progress) -> DirectoryImportResult:
    mapped = [n for n in rows.mapping.columns if n in SUBJECT_TABLE.c and n not in CODE_FIELDS]
    with_tags = "tags" in rows.mapping.columns
    result = DirectoryImportResult(SUBJECT)
    with long_write(db, actor, "导入检查对象名录", progress) as session:
        writer = SubjectWriter(session, mapped, with_tags)
        rebuild = _defer_secondary_indexes(session, rows.height)
        try:
            with BackgroundWriter(writer.write) as background:
                for batch in rows.batches():
                    result.rejected += batch.rejected
                    background.submit(batch.records, batch.tags)
                    progress.step(batch.last_row, 0, f"已读取 {batch.last_row:,} 行，正在校验并写入…")
        except IntegrityError as exc:
            raise UserError("文件中的某户检查对象与名录库中另一户的代码冲突（统一社会信用代码与注册号"
                            "分属两户）：请核对后再导入。") from exc
        result.issues = rows.issues
        result.rows = rows.rows
        if result.errors and not valid_only:
            session.rollback()  # the dropped indexes come back with the rollback
            return result
        writer.finish()
        for index in rebuild:
            progress.step(result.rows, result.rows, "正在重建索引…")
            index.create(session.connection())
        result.imported, result.updated = writer.inserted, writer.updated
        result.committed = True
        audit.record(session, actor, "导入检查对象名录", "subjects", "",
                     {"文件": Path(path).name, "新增": result.imported, "更新": result.updated,
                      "未导入": result.rejected, "只导入正确的行": valid_only})
    return result


SECONDARY_INDEXES = tuple(index for index in SUBJECT_TABLE.indexes if not index.unique)
LARGE_IMPORT_ROWS = 10_000


def _defer_secondary_indexes(session: Session, file_rows: int) -> tuple:
    """On SQLite, a file at least as large as the directory loads faster with the search
    indexes dropped and rebuilt once at the end: maintaining them row by row would make the
    writer thread, not the reading, the slower of the two (at 500,000 rows, keeping the four
    indexes over few distinct values cost the writer 1.5 s of CPU to save 0.9 s of rebuild).

    DDL is transactional in SQLite, so a rolled-back import gets its indexes back. Not done
    on PostgreSQL, where dropping an index would lock out the other PCs for the import.
    """
    if session.get_bind().dialect.name != "sqlite" or file_rows < LARGE_IMPORT_ROWS:
        return ()
    existing = session.scalar(select(func.count()).select_from(SUBJECT_TABLE)) or 0
    if file_rows < existing:
        return ()
    for index in SECONDARY_INDEXES:
        index.drop(session.connection())
    return SECONDARY_INDEXES


# Every column an insert tuple writes, in order, with the value a blank cell or a column the file
# lacks gets (the reader starts each row from these, so its values are the tuple already); the
# text columns' length limits (codes are checked by the reader); the date columns.
ROW_DEFAULTS = {n: SUBJECT_TABLE.c[n].default.arg if SUBJECT_TABLE.c[n].default is not None else None
                for n in (*INSERT_COLUMNS, *CODE_FIELDS)}
ROW_PLAN = RowPlan(
    ROW_DEFAULTS,
    tuple((i, n, SUBJECT_TABLE.c[n].type.length) for i, n in enumerate(ROW_DEFAULTS)
          if getattr(SUBJECT_TABLE.c[n].type, "length", None) and n not in CODE_FIELDS),
    tuple(i for i, n in enumerate(ROW_DEFAULTS) if isinstance(SUBJECT_TABLE.c[n].type, Date)))


def import_inspectors(
    db: Database, actor: Actor, path: str | os.PathLike, mapping: ColumnMapping | None = None,
    valid_only: bool = False, progress: Progress = NO_PROGRESS, today: date | None = None,
    sheet: str | None = None,
) -> DirectoryImportResult:
    """Upsert inspectors by 执法证号 (or, without one, by name within the department).

    A department named in the file that the office has not set up yet is added. A status
    other than 在岗 starts a status period on the day of the import, open-ended.
    """
    require(actor, Role.CLERK)
    try:
        reader = open_directory(path, INSPECTOR, mapping, sheet)
        return _import_inspector_rows(db, actor, path, reader, valid_only, progress, today or date.today())
    except TabularError as exc:
        raise UserError(str(exc)) from exc


def _import_inspector_rows(db: Database, actor: str, path, reader, valid_only: bool, progress: Progress,
                           today: date) -> DirectoryImportResult:
    mapped = set(reader.mapping.columns)
    result = DirectoryImportResult(INSPECTOR)
    with long_write(db, actor, "导入执法检查人员名录", progress) as session:
        departments = {d.name: d for d in session.scalars(select(Department))}
        by_certificate = {c.number: c.inspector for c in session.scalars(select(Certificate))}
        for row in reader:
            if not row.ok or _too_long(reader, row):
                result.rejected += 1
                continue
            values = row.values
            department = _department(session, departments, values.get("department"))
            person = _find_inspector(session, by_certificate, values, department)
            result.updated += person is not None
            result.imported += person is None
            if person is None:
                person = Inspector(name=values["name"])
                session.add(person)
            _apply_inspector(person, values, mapped, department)
            number = values.get("certificate_no")
            if number:
                _apply_certificate(person, number, values.get("certificate_expires_on"), mapped)
                by_certificate[number] = person
            status = values.get("status")
            if status and status != "在岗" and not any(p.status == status and p.ends_on is None
                                                       for p in person.status_periods):
                person.status_periods.append(StatusPeriod(status=status, starts_on=today, note="导入时的状态"))
            if row.row % 500 == 0:
                progress.step(row.row, 0, f"已读取 {row.row:,} 行")
        result.issues = sorted(reader.issues, key=lambda issue: issue.row)
        result.rows = reader.counts.rows
        if result.errors and not valid_only:
            session.rollback()
            result.imported = result.updated = 0
            return result
        result.committed = True
        session.flush()
        audit.record(session, actor, "导入执法检查人员名录", "inspectors", "",
                     {"文件": Path(path).name, "新增": result.imported, "更新": result.updated,
                      "未导入": result.rejected, "只导入正确的行": valid_only})
    return result


def _department(session: Session, departments: dict[str, Department], name: str | None) -> Department | None:
    if not name:
        return None
    if name not in departments:
        departments[name] = Department(name=name, short_name="")
        session.add(departments[name])
        session.flush()
    return departments[name]


def _find_inspector(session: Session, by_certificate: dict, values: dict,
                    department: Department | None) -> Inspector | None:
    number = values.get("certificate_no")
    if number:
        return by_certificate.get(number)
    stmt = select(Inspector).where(Inspector.name == values["name"])
    stmt = stmt.where(Inspector.department_id == department.id) if department else \
        stmt.where(Inspector.department_id.is_(None))
    return session.scalars(stmt).first()


INSPECTOR_PLAIN = ("name", "gender", "office", "position", "category", "qualifications", "specialities",
                   "can_lead", "phone")


# The inspector fields' length limits, as the database enforces them on PostgreSQL (SQLite would
# store any length): checked here so that both refuse the same rows, with the same message.
INSPECTOR_LIMITS = {name: column.type.length for name, column in
                    [(n, Inspector.__table__.c[n]) for n in INSPECTOR_PLAIN if n in Inspector.__table__.c]
                    + [("certificate_no", Certificate.__table__.c.number),
                       ("department", Department.__table__.c.name)]
                    if getattr(column.type, "length", None)}


def _too_long(reader, row) -> bool:
    """Reports each text of the row beyond its column's limit; True when there was one."""
    found = False
    for name, limit in INSPECTOR_LIMITS.items():
        value = row.values.get(name)
        if isinstance(value, str) and len(value) > limit:
            reader.issues.append(Issue(row.row, reader.mapping.columns.get(name, name),
                                       f"内容过长：最多 {limit} 个字（现有 {len(value):,} 个字）", ERROR))
            found = True
    if found:
        reader.counts.rejected += 1
        reader.counts.valid -= 1
    return found


def _apply_inspector(person: Inspector, values: dict, mapped: set[str], department: Department | None) -> None:
    for name in INSPECTOR_PLAIN:
        if name in mapped and values.get(name) is not None:
            setattr(person, name, values[name])
    if "department" in mapped and department is not None:
        person.department = department


def _apply_certificate(person: Inspector, number: str, expires_on: date | None, mapped: set[str]) -> None:
    certificate = next((c for c in person.certificates if c.number == number), None)
    if certificate is None:
        person.certificates.append(Certificate(number=number, kind="行政执法证", expires_on=expires_on))
    elif "certificate_expires_on" in mapped:
        certificate.expires_on = expires_on


def preview_directory(path: str | os.PathLike, kind: str, mapping: ColumnMapping | None = None,
                      limit: int = 50, sheet: str | None = None) -> ParsedDirectory:
    """The header, the guessed (or given) column mapping and the first rows, for the import dialog."""
    try:
        return read_directory(path, kind, mapping, sheet, limit=limit)
    except TabularError as exc:
        raise UserError(str(exc)) from exc


def workbook_sheets(path: str | os.PathLike) -> list[str]:
    """The sheets the import dialog offers (a CSV file has one)."""
    from app.tabular.source import sheet_names

    try:
        return sheet_names(path)
    except TabularError as exc:
        raise UserError(str(exc)) from exc


def save_mapping(mapping: ColumnMapping, path: str | os.PathLike) -> None:
    """Keep a column mapping for the next file from the same system (`--mapping`)."""
    Path(path).write_text(mapping.to_json(), encoding="utf-8")
