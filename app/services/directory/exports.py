"""Exporting 库1 and 库2 in this program's own layout (it maps itself on re-import),
and the validation report of an import."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db.models import Inspector, Subject
from app.db.session import Database
from app.services.directory.imports import DirectoryImportResult
from app.services.errors import check_output_path, writing_error
from app.services.directory.subject_query import SubjectFilter, subject_ids_query
from app.tabular import INSPECTOR, SUBJECT, export_directory, write_validation_report

SUBJECT_EXPORT_FIELDS = (
    "credit_code", "registration_no", "name", "subject_type", "legal_representative", "phone", "address",
    "region", "industry", "registration_status", "established_on", "registration_authority", "risk_class",
    "abnormal_operation", "serious_violation", "key_supervision",
)


def export_subjects(db: Database, path: str | os.PathLike, flt: SubjectFilter = SubjectFilter()) -> int:
    """Every subject matching ``flt`` (all by default), streamed; cells Excel would execute are neutralised."""
    check_output_path(path)
    stmt = (select(Subject).where(Subject.id.in_(subject_ids_query(flt))).order_by(Subject.id)
            .options(selectinload(Subject.tags)).execution_options(yield_per=2000))
    with db.session() as session:
        records = ({**{f: getattr(s, f) for f in SUBJECT_EXPORT_FIELDS}, "tags": "、".join(t.name for t in s.tags)}
                   for s in session.scalars(stmt))
        try:
            return export_directory(path, SUBJECT, records)
        except OSError as exc:
            raise writing_error(path, exc) from exc


def export_inspectors(db: Database, path: str | os.PathLike) -> int:
    check_output_path(path)
    stmt = (select(Inspector).order_by(Inspector.id)
            .options(selectinload(Inspector.certificates), selectinload(Inspector.department),
                     selectinload(Inspector.status_periods)))
    with db.session() as session:
        records = []
        for person in session.scalars(stmt):
            main = person.enforcement_certificate
            open_period = next((p for p in person.status_periods if p.ends_on is None), None)
            records.append({
                "name": person.name, "gender": person.gender,
                "department": person.department.name if person.department else "",
                "office": person.office, "position": person.position, "category": person.category,
                "certificate_no": main.number if main else "",
                "certificate_expires_on": main.expires_on if main else None,
                "qualifications": "、".join(person.qualifications), "specialities": "、".join(person.specialities),
                "can_lead": "是" if person.can_lead else "否",
                "status": open_period.status if open_period else "在岗", "phone": person.phone,
            })
    try:
        return export_directory(path, INSPECTOR, records)
    except OSError as exc:
        raise writing_error(path, exc) from exc


def write_import_report(path: str | os.PathLike, source: str | os.PathLike, result: DirectoryImportResult) -> None:
    check_output_path(path)
    try:
        write_validation_report(path, result.issues, source=Path(source).name, rows=result.rows,
                                valid=result.rows - result.rejected, rejected=result.rejected)
    except OSError as exc:
        raise writing_error(path, exc) from exc
