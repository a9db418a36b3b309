"""One subject in 库1: read, validate, edit; tags in bulk; 专用名录; inspection history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.exc import IntegrityError

from app.db.models import Inspection, Plan, SavedFilter, Subject, Tag, Task, subject_tags
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.credit_code import CodeKind, inspect_code
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.directory.subject_query import RISK_CLASSES, SubjectFilter, subject_ids_query
from app.domain.characters import check_text_fields

EDITABLE = (
    "name", "subject_type", "legal_representative", "phone", "address", "region", "industry",
    "registration_status", "established_on", "registration_authority", "risk_class",
    "abnormal_operation", "serious_violation", "key_supervision",
)


@dataclass
class SubjectDetail:
    id: int | None
    code: str = ""
    name: str = ""
    subject_type: str = ""
    legal_representative: str = ""
    phone: str = ""
    address: str = ""
    region: str = ""
    industry: str = ""
    registration_status: str = "存续"
    established_on: date | None = None
    registration_authority: str = ""
    risk_class: str = ""
    abnormal_operation: bool = False
    serious_violation: bool = False
    key_supervision: bool = False
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FieldProblems:
    errors: dict[str, str]
    warnings: dict[str, str]


def check_subject(detail: SubjectDetail) -> FieldProblems:
    """What is wrong with a subject as typed; errors block saving, warnings do not."""
    errors, warnings = {}, {}
    if not detail.name.strip():
        errors["name"] = "名称不能为空"
    code = detail.code.strip()
    if not code:
        errors["code"] = "请填写统一社会信用代码（个体户可填15位注册号）"
    else:
        checked = inspect_code(code)
        if checked.kind is CodeKind.INVALID:
            errors["code"] = checked.message or "代码格式不对"
        elif not checked.check_ok:
            warnings["code"] = checked.message or "校验位不符"
    if detail.risk_class and detail.risk_class not in RISK_CLASSES:
        errors["risk_class"] = "信用风险分类只能是 A、B、C、D"
    if detail.established_on and detail.established_on > date.today():
        errors["established_on"] = "成立日期不能晚于今天"
    texts = {name: getattr(detail, name) for name in SUBJECT_TEXT_LIMITS}
    errors = check_text_fields(texts) | errors
    for name, limit in SUBJECT_TEXT_LIMITS.items():
        if len(texts[name].strip()) > limit:
            errors.setdefault(name, f"内容过长：最多 {limit} 个字")
    return FieldProblems(errors, warnings)


# What the database holds at most (PostgreSQL enforces it; SQLite would not): the same limits
# the directory import checks.
SUBJECT_TEXT_LIMITS = {name: Subject.__table__.c[name].type.length
                       for name in ("name", "subject_type", "legal_representative", "phone", "address", "region",
                                    "industry", "registration_status", "registration_authority")
                       if getattr(Subject.__table__.c[name].type, "length", None)}


def get_subject(db: Database, subject_id: int) -> SubjectDetail:
    with db.session() as session:
        subject = session.get(Subject, subject_id)
        if subject is None:
            raise UserError("该检查对象已不存在，请刷新列表。")
        detail = SubjectDetail(id=subject.id, code=subject.identifier, tags=[t.name for t in subject.tags],
                               **{name: getattr(subject, name) for name in EDITABLE})
    return detail


def save_subject(db: Database, actor: Actor, detail: SubjectDetail) -> int:
    require(actor, Role.CLERK)
    problems = check_subject(detail)
    if problems.errors:
        raise UserError("；".join(problems.errors.values()))
    checked = inspect_code(detail.code.strip())
    code_fields = ({"credit_code": checked.code, "registration_no": None}
                   if checked.kind is CodeKind.CREDIT_CODE else {"credit_code": None, "registration_no": checked.code})
    values = {name: getattr(detail, name) for name in EDITABLE}
    values["name"] = values["name"].strip()
    try:
        with db.session() as session:
            subject = Subject() if detail.id is None else session.get(Subject, detail.id)
            if subject is None:
                raise UserError("该检查对象已不存在，请刷新列表。")
            changes = audit.apply_changes(subject, {**code_fields, **values})
            wanted_tags = sorted(set(detail.tags))
            if detail.id is None or sorted(t.name for t in subject.tags) != wanted_tags:
                changes["tags"] = [sorted(t.name for t in subject.tags), wanted_tags]
                subject.tags = [_tag(session, name) for name in wanted_tags]
            if detail.id is None:
                session.add(subject)
            session.flush()
            if changes:
                audit.record(session, actor, "新增检查对象" if detail.id is None else "修改检查对象",
                             "subject", subject.id, changes)
            return subject.id
    except IntegrityError as exc:
        raise UserError(f"代码 {checked.code} 已属于名录库中的另一户检查对象，不能重复。") from exc


def _tag(session, name: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
        session.flush()
    return tag


def tag_subjects(db: Database, actor: Actor, flt: SubjectFilter, tag_name: str, add: bool = True) -> int:
    """Bulk 打标签 / 去标签 on every subject matching a filter; returns how many changed."""
    require(actor, Role.CLERK)
    tag_name = tag_name.strip()
    if not tag_name:
        raise UserError("请填写标签名称。")
    with db.session() as session:
        tag = _tag(session, tag_name)
        ids = subject_ids_query(flt)
        tagged = select(subject_tags.c.subject_id).where(subject_tags.c.tag_id == tag.id)
        if add:
            untagged = Subject.id.in_(ids) & Subject.id.not_in(tagged)
            changed = session.scalar(select(func.count()).select_from(Subject).where(untagged)) or 0
            rows = select(Subject.id, literal(tag.id)).where(untagged)
            session.execute(insert(subject_tags).from_select(["subject_id", "tag_id"], rows))
        else:
            changed = session.execute(delete(subject_tags).where(
                subject_tags.c.tag_id == tag.id, subject_tags.c.subject_id.in_(ids))).rowcount
        audit.record(session, actor, "批量打标签" if add else "批量去标签", "tag", tag.id,
                     {"标签": tag_name, "范围": flt.describe(), "户数": changed})
        return changed


@dataclass(frozen=True)
class SavedFilterRow:
    id: int
    department_id: int
    name: str
    filter: SubjectFilter


def list_saved_filters(db: Database, department_id: int | None = None) -> list[SavedFilterRow]:
    stmt = select(SavedFilter).order_by(SavedFilter.department_id, SavedFilter.name)
    if department_id is not None:
        stmt = stmt.where(SavedFilter.department_id == department_id)
    with db.session() as session:
        return [SavedFilterRow(f.id, f.department_id, f.name, SubjectFilter.from_dict(f.criteria))
                for f in session.scalars(stmt)]


def save_filter(db: Database, actor: Actor, department_id: int, name: str, flt: SubjectFilter) -> int:
    """Save a filter as a department's 专用名录 (same name replaces it)."""
    require(actor, Role.CLERK)
    name = name.strip()
    if not name:
        raise UserError("请给专用名录起个名字。")
    with db.session() as session:
        saved = session.scalar(select(SavedFilter).where(
            SavedFilter.department_id == department_id, SavedFilter.name == name))
        if saved is None:
            saved = SavedFilter(department_id=department_id, name=name)
            session.add(saved)
        saved.criteria = flt.to_dict()
        session.flush()
        audit.record(session, actor, "保存专用名录", "saved_filter", saved.id, {"名称": name, "条件": flt.describe()})
        return saved.id


def delete_filter(db: Database, actor: Actor, filter_id: int) -> None:
    require(actor, Role.CLERK)
    with db.session() as session:
        saved = session.get(SavedFilter, filter_id)
        if saved is not None:
            audit.record(session, actor, "删除专用名录", "saved_filter", filter_id, {"名称": saved.name})
            session.delete(saved)


@dataclass(frozen=True)
class HistoryRow:
    year: int
    task_name: str
    task_number: str
    inspected_on: date | None
    status: str
    result: str


@dataclass(frozen=True)
class InspectionHistory:
    rows: list[HistoryRow]
    this_year: int
    last_result: str


def inspection_history(db: Database, subject_id: int, today: date | None = None) -> InspectionHistory:
    year = (today or date.today()).year
    stmt = (
        select(Plan.year, Task.name, Task.number, Inspection.inspected_on, Inspection.status,
               Inspection.result_category)
        .join(Task, Inspection.task_id == Task.id).join(Plan, Task.plan_id == Plan.id)
        .where(Inspection.subject_id == subject_id)
        .order_by(Plan.year.desc(), Inspection.id.desc())
    )
    with db.session() as session:
        rows = [HistoryRow(*r) for r in session.execute(stmt)]
    this_year = sum(1 for r in rows if r.year == year and r.status != "已替换")
    last = next((r.result for r in rows if r.result), "")
    return InspectionHistory(rows, this_year, last)

