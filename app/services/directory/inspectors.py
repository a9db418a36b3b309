"""库2: inspectors, who is eligible on given dates and why not, and editing one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.db.models import Certificate, Department, Inspector, StatusPeriod
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.eligibility import CertificateFact, PeriodFact, status_on, unavailability
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.domain.characters import check_text_fields

CATEGORIES = ("行政执法类公务员", "具有执法资格的事业编", "从事日常监管的聘用人员", "专家")


@dataclass(frozen=True)
class InspectorRow:
    id: int
    name: str
    gender: str
    department: str
    office: str
    position: str
    category: str
    certificate_no: str
    certificate_expires_on: date | None
    can_lead: bool
    specialities: tuple[str, ...]
    status: str  # 在岗 / 请假 / 借调 / 调离 on the day asked
    reasons: tuple[str, ...]  # why not eligible; empty when eligible

    @property
    def eligible(self) -> bool:
        return not self.reasons


def certificate_facts(person: Inspector) -> list[CertificateFact]:
    return [CertificateFact(c.kind, c.number, c.expires_on) for c in person.certificates]


def period_facts(person: Inspector) -> list[PeriodFact]:
    return [PeriodFact(p.status, p.starts_on, p.ends_on) for p in person.status_periods]


def list_inspectors(
    db: Database, on: date | None = None, until: date | None = None, text: str = "",
    department_id: int | None = None, only_eligible: bool = False,
) -> list[InspectorRow]:
    """Everyone in 库2 with their eligibility for [on, until] (default: today)."""
    on = on or date.today()
    stmt = (select(Inspector, Department.name).outerjoin(Department, Inspector.department_id == Department.id)
            .options(selectinload(Inspector.certificates), selectinload(Inspector.status_periods))
            .order_by(Inspector.department_id.is_(None), Inspector.department_id, Inspector.id))
    if department_id is not None:
        stmt = stmt.where(Inspector.department_id == department_id)
    if text.strip():
        stmt = stmt.where(Inspector.name.contains(text.strip(), autoescape=True))
    rows = []
    with db.session() as session:
        for person, dept_name in session.execute(stmt):
            certificates, periods = certificate_facts(person), period_facts(person)
            reasons = tuple(unavailability(person.category, certificates, periods, on, until))
            if only_eligible and reasons:
                continue
            main = person.enforcement_certificate
            rows.append(InspectorRow(
                person.id, person.name, person.gender, dept_name or "（专家库）", person.office, person.position,
                person.category, main.number if main else "", main.expires_on if main else None,
                person.can_lead, tuple(person.specialities), status_on(periods, on), reasons,
            ))
    return rows


@dataclass
class InspectorDetail:
    id: int | None
    name: str = ""
    gender: str = ""
    department_id: int | None = None
    office: str = ""
    position: str = ""
    category: str = CATEGORIES[0]
    certificate_no: str = ""
    certificate_expires_on: date | None = None
    qualifications: list[str] = field(default_factory=list)
    specialities: list[str] = field(default_factory=list)
    can_lead: bool = False
    phone: str = ""


def check_inspector(detail: InspectorDetail) -> dict[str, str]:
    errors = {}
    if not detail.name.strip():
        errors["name"] = "姓名不能为空"
    if detail.category not in CATEGORIES:
        errors["category"] = "人员类别应为：" + "、".join(CATEGORIES)
    texts = {name: getattr(detail, name) for name in ("name", "gender", "office", "position", "certificate_no", "phone")}
    errors |= check_text_fields(texts)
    limits = {name: Inspector.__table__.c[name].type.length for name in ("name", "office", "position", "phone")}
    limits["certificate_no"] = Certificate.__table__.c.number.type.length
    for name, limit in limits.items():
        if len(texts[name].strip()) > limit:
            errors.setdefault(name, f"内容过长：最多 {limit} 个字")
    if detail.category != "专家":
        if not detail.certificate_no.strip():
            errors["certificate_no"] = "执法人员须填写执法证号（专家除外）"
        if detail.department_id is None:
            errors["department_id"] = "请选择所在部门"
    return errors


def get_inspector(db: Database, inspector_id: int) -> InspectorDetail:
    with db.session() as session:
        person = session.get(Inspector, inspector_id)
        if person is None:
            raise UserError("该人员已不在名录库中，请刷新列表。")
        main = person.enforcement_certificate
        return InspectorDetail(
            person.id, person.name, person.gender, person.department_id, person.office, person.position,
            person.category, main.number if main else "", main.expires_on if main else None,
            list(person.qualifications), list(person.specialities), person.can_lead, person.phone,
        )


def save_inspector(db: Database, actor: Actor, detail: InspectorDetail) -> int:
    require(actor, Role.CLERK)
    errors = check_inspector(detail)
    if errors:
        raise UserError("；".join(errors.values()))
    plain = ("name", "gender", "department_id", "office", "position", "category", "qualifications",
             "specialities", "can_lead", "phone")
    try:
        with db.session() as session:
            person = Inspector() if detail.id is None else session.get(Inspector, detail.id)
            if person is None:
                raise UserError("该人员已不在名录库中，请刷新列表。")
            values = {name: getattr(detail, name) for name in plain}
            changes = audit.apply_changes(person, {name: v.strip() if isinstance(v, str) else v
                                                   for name, v in values.items()})
            _save_certificate(person, detail, changes)
            if detail.id is None:
                session.add(person)
            session.flush()
            if changes:
                audit.record(session, actor, "新增执法人员" if detail.id is None else "修改执法人员",
                             "inspector", person.id, changes)
            return person.id
    except IntegrityError as exc:
        raise UserError(f"执法证号 {detail.certificate_no} 已登记在另一名人员名下。") from exc


def _save_certificate(person: Inspector, detail: InspectorDetail, changes: dict) -> None:
    number = detail.certificate_no.strip()
    main = person.enforcement_certificate
    if not number:
        if main is not None:
            changes["certificate"] = [main.number, ""]
            person.certificates.remove(main)
        return
    if main is None:
        person.certificates.append(Certificate(number=number, kind="行政执法证",
                                               expires_on=detail.certificate_expires_on))
        changes["certificate"] = ["", number]
    elif (main.number, main.expires_on) != (number, detail.certificate_expires_on):
        changes["certificate"] = [[main.number, main.expires_on], [number, detail.certificate_expires_on]]
        main.number, main.expires_on = number, detail.certificate_expires_on


def add_status_period(db: Database, actor: Actor, inspector_id: int, status: str, starts_on: date,
                      ends_on: date | None, note: str = "") -> None:
    """Record 请假 / 借调 / 调离 for a date range (open-ended when ends_on is None)."""
    require(actor, Role.CLERK)
    if status not in ("请假", "借调", "调离"):
        raise UserError("状态只能是 请假、借调 或 调离。")
    if ends_on is not None and ends_on < starts_on:
        raise UserError("结束日期不能早于开始日期。")
    with db.session() as session:
        if session.get(Inspector, inspector_id) is None:
            raise UserError("该人员已不在名录库中，请刷新列表。")
        session.add(StatusPeriod(inspector_id=inspector_id, status=status, starts_on=starts_on,
                                 ends_on=ends_on, note=note))
        audit.record(session, actor, "登记人员状态", "inspector", inspector_id,
                     {"状态": status, "开始": starts_on, "结束": ends_on, "说明": note})
