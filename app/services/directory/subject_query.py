"""Finding subjects in 库1: the filter used by the directory page, the 专用名录 and a
task's 检查对象范围. Sorting, filtering and counting are done by the database, so a
page stays quick at 500,000 subjects.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select

from app.db.models import Subject, Tag, subject_tags
from app.db.session import Database
from app.domain.risk import RISK_CLASSES

FLAGS = {
    "abnormal_operation": "经营异常名录",
    "serious_violation": "严重违法失信",
    "key_supervision": "重点监管对象",
}


@dataclass(frozen=True)
class SubjectFilter:
    """Empty fields do not restrict; values within a field are alternatives (OR)."""

    text: str = ""  # 名称包含，或代码开头
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    subject_types: tuple[str, ...] = ()
    risk_classes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # every flag named must be set
    tags: tuple[str, ...] = ()  # any of these tags
    statuses: tuple[str, ...] = ()  # 登记状态

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SubjectFilter":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"未知的筛选条件：{'、'.join(sorted(unknown))}")
        return cls(**{k: v if k == "text" else tuple(v) for k, v in data.items()})

    def describe(self) -> str:
        """The filter in words, for 专用名录 lists and task scopes."""
        parts = []
        if self.text:
            parts.append(f"名称或代码含“{self.text}”")
        for label, values in (("区域", self.regions), ("行业", self.industries), ("类型", self.subject_types),
                              ("登记状态", self.statuses), ("标签", self.tags)):
            if values:
                parts.append(f"{label}：{'、'.join(values)}")
        if self.risk_classes:
            parts.append("风险：" + "、".join(RISK_CLASSES.get(r, r) for r in self.risk_classes))
        if self.flags:
            parts.append("、".join(FLAGS[f] for f in self.flags))
        return "；".join(parts) or "全部检查对象（通用名录）"


_CODE_LIKE = re.compile(r"[0-9A-Za-z]{6,18}")


def is_code_search(text: str) -> bool:
    """Six or more letters and digits: the start of a 统一社会信用代码 or 注册号, not a name."""
    return bool(_CODE_LIKE.fullmatch(text.strip()))


def _conditions(flt: SubjectFilter) -> list:
    conditions = []
    text = flt.text.strip()
    if text and is_code_search(text):
        # A range on each code column uses its unique index on both databases (LIKE would not).
        low, high = text.upper(), text.upper() + "\x7f"
        conditions.append(or_(and_(Subject.credit_code >= low, Subject.credit_code < high),
                              and_(Subject.registration_no >= low, Subject.registration_no < high)))
    elif text:
        conditions.append(Subject.name.contains(text, autoescape=True))
    for column, values in ((Subject.region, flt.regions), (Subject.industry, flt.industries),
                           (Subject.subject_type, flt.subject_types), (Subject.risk_class, flt.risk_classes),
                           (Subject.registration_status, flt.statuses)):
        if values:
            conditions.append(column.in_(values))
    for flag in flt.flags:
        if flag not in FLAGS:
            raise ValueError(f"未知的标记：{flag}")
        conditions.append(getattr(Subject, flag).is_(True))
    if flt.tags:
        conditions.append(exists().where(
            subject_tags.c.subject_id == Subject.id,
            subject_tags.c.tag_id.in_(select(Tag.id).where(Tag.name.in_(flt.tags))),
        ))
    return conditions


def subject_ids_query(flt: SubjectFilter) -> Select:
    """The ids matching a filter, for draws and bulk actions."""
    return select(Subject.id).where(and_(True, *_conditions(flt)))


SORT_COLUMNS = {
    "name": Subject.name,
    "code": func.coalesce(Subject.credit_code, Subject.registration_no),
    "subject_type": Subject.subject_type,
    "region": Subject.region,
    "industry": Subject.industry,
    "risk_class": Subject.risk_class,
    "established_on": Subject.established_on,
    "registration_status": Subject.registration_status,
}


@dataclass(frozen=True)
class SubjectRow:
    id: int
    code: str
    name: str
    subject_type: str
    region: str
    industry: str
    risk_class: str
    registration_status: str
    established_on: date | None
    flags: tuple[str, ...]


def count_subjects(db: Database, flt: SubjectFilter) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Subject).where(and_(True, *_conditions(flt)))) or 0


def fetch_subjects(
    db: Database, flt: SubjectFilter, sort: str = "name", descending: bool = False,
    offset: int = 0, limit: int = 200,
) -> list[SubjectRow]:
    order = SORT_COLUMNS[sort]
    if flt.text.strip() and not is_code_search(flt.text):
        # A name search matches few rows: let the database find them with one scan and sort
        # them, instead of walking the whole sort index in order looking for matches.
        order = func.coalesce(order, order)
    order = order.desc() if descending else order.asc()
    stmt = (
        select(Subject.id, Subject.credit_code, Subject.registration_no, Subject.name, Subject.subject_type,
               Subject.region, Subject.industry, Subject.risk_class, Subject.registration_status,
               Subject.established_on, Subject.abnormal_operation, Subject.serious_violation,
               Subject.key_supervision)
        .where(and_(True, *_conditions(flt)))
        .order_by(order, Subject.id)
        .offset(offset)
        .limit(limit)
    )
    with db.session() as session:
        return [
            SubjectRow(r.id, r.credit_code or r.registration_no or "", r.name, r.subject_type, r.region,
                       r.industry, r.risk_class, r.registration_status, r.established_on,
                       tuple(label for flag, label in FLAGS.items() if getattr(r, flag)))
            for r in session.execute(stmt)
        ]


@dataclass(frozen=True)
class Facets:
    """The values a filter can choose from, as they occur in the directory."""

    regions: list[str]
    industries: list[str]
    subject_types: list[str]
    statuses: list[str]
    tags: list[str]


def facets(db: Database) -> Facets:
    def distinct(session, column) -> list[str]:
        return [v for v in session.scalars(select(column).distinct().order_by(column)) if v]

    with db.session() as session:
        return Facets(
            regions=distinct(session, Subject.region),
            industries=distinct(session, Subject.industry),
            subject_types=distinct(session, Subject.subject_type),
            statuses=distinct(session, Subject.registration_status),
            tags=list(session.scalars(select(Tag.name).order_by(Tag.name))),
        )
