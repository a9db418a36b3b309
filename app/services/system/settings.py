"""Office-wide settings (shared by every PC on the database) and departments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Department, Setting
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.risk import RISK_ORDER, YearlyCap
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError

OFFICE_NAME = "office_name"  # 单位名称，用于文书落款
COUNTY_NAME = "county_name"  # 县（市、区）名
TASK_NUMBER_PATTERN = "task_number_pattern"
PUBLICATION_WORKING_DAYS = "publication_working_days"  # {公示种类: 工作日数}
PUBLICATION_KINDS = "publication_kinds"  # 必须公示的种类
NOTICE_NUMBER_PATTERN = "notice_number_pattern"  # 检查结果告知书文号
RECORD_NUMBER_PATTERN = "record_number_pattern"  # 抽取过程记录编号
PUBLICITY_PLATFORM = "publicity_platform"  # 公示平台
NOTICE_CONTACT = "notice_contact"  # 告知书联系人
NOTICE_PHONE = "notice_phone"  # 告知书联系电话

DEFAULTS = {
    OFFICE_NAME: "",
    COUNTY_NAME: "",
    TASK_NUMBER_PATTERN: "{简称}抽查〔{年}〕{序号}号",
    PUBLICATION_WORKING_DAYS: {"年度计划": 10, "抽取名单": 10, "检查结果": 20, "行政处罚": 7},
    PUBLICATION_KINDS: ["年度计划", "抽取名单", "检查结果", "行政处罚"],
    NOTICE_NUMBER_PATTERN: "{简称}抽告〔{年}〕{序号}号",
    RECORD_NUMBER_PATTERN: "{简称}抽记〔{年}〕{序号}号",
    PUBLICITY_PLATFORM: "国家企业信用信息公示系统",
    NOTICE_CONTACT: "",
    NOTICE_PHONE: "",
}


def get_settings(db: Database) -> dict:
    with db.session() as session:
        stored = {row.key: row.value for row in session.scalars(select(Setting))}
    return {**DEFAULTS, **stored}


def save_settings(db: Database, actor: Actor, values: dict) -> None:
    require(actor, Role.ADMIN)
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise UserError(f"未知的设置项：{'、'.join(sorted(unknown))}")
    with db.session() as session:
        changed = {}
        for key, value in values.items():
            row = session.get(Setting, key)
            old = row.value if row else DEFAULTS[key]
            if old == value:
                continue
            changed[key] = [old, value]
            if row:
                row.value = value
            else:
                session.add(Setting(key=key, value=value))
        if changed:
            audit.record(session, actor, "修改设置", "settings", "", changed)


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    short_name: str
    is_office: bool


def list_departments(db: Database) -> list[DepartmentRow]:
    with db.session() as session:
        rows = session.scalars(select(Department).where(Department.active).order_by(Department.id))
        return [DepartmentRow(d.id, d.name, d.short_name, d.is_office) for d in rows]


def department_named(session: Session, name: str) -> Department:
    """The department with this full name; UserError listing the known ones otherwise."""
    department = session.scalar(select(Department).where(Department.name == name))
    if department is None:
        known = "、".join(session.scalars(select(Department.name).order_by(Department.id)))
        raise UserError(f"没有名为“{name}”的部门。已有：{known or '（无）'}")
    return department


def save_departments(db: Database, actor: Actor, rows: list[tuple[int | None, str, str]]) -> None:
    """Add or rename departments: (id or None, 名称, 简称). Names must be unique and non-empty."""
    require(actor, Role.ADMIN)
    names = [name.strip() for _, name, _ in rows]
    if any(not name for name in names):
        raise UserError("部门名称不能为空。")
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise UserError(f"部门名称重复：{'、'.join(sorted(duplicates))}")
    with db.session() as session:
        for dept_id, name, short in rows:
            name, short = name.strip(), short.strip()
            if dept_id is None:
                dept = Department(name=name, short_name=short)
                session.add(dept)
                session.flush()
                audit.record(session, actor, "新增部门", "department", dept.id, {"名称": name, "简称": short})
                continue
            dept = session.get(Department, dept_id)
            if dept is None:
                raise UserError("要修改的部门已不存在，请刷新后重试。")
            if (dept.name, dept.short_name) != (name, short):
                audit.record(
                    session, actor, "修改部门", "department", dept.id,
                    {"名称": [dept.name, name], "简称": [dept.short_name, short]},
                )
                dept.name, dept.short_name = name, short


# ------------------------------------------------------------------ the yearly cap on low-risk subjects
YEARLY_CAP = "low_risk_yearly_cap"  # 低风险对象同一年度内最多被抽查的次数
CAPPED_RISK_CLASSES = "yearly_cap_risk_classes"  # which 信用风险分类 count as low risk
DEFAULT_YEARLY_CAP = 2
DEFAULT_CAPPED_RISK_CLASSES = ("A",)


def yearly_cap(db: Database) -> YearlyCap:
    with db.session() as session:
        return read_yearly_cap(session)


def read_yearly_cap(session: Session) -> YearlyCap:
    times = session.get(Setting, YEARLY_CAP)
    classes = session.get(Setting, CAPPED_RISK_CLASSES)
    return YearlyCap(int(times.value) if times else DEFAULT_YEARLY_CAP,
                     tuple(classes.value) if classes else DEFAULT_CAPPED_RISK_CLASSES)


def set_yearly_cap(db: Database, actor: Actor, times: int, risk_classes: tuple[str, ...] | None = None) -> None:
    require(actor, Role.ADMIN)
    if not 1 <= times <= 50:
        raise UserError("年度抽查次数上限应在 1 到 50 次之间。")
    if risk_classes is not None and (not risk_classes or set(risk_classes) - set(RISK_ORDER)):
        raise UserError("请至少选择一个信用风险分类（A、B、C、D）。")
    with db.session() as session:
        old = read_yearly_cap(session)
        new = YearlyCap(times, tuple(sorted(risk_classes)) if risk_classes is not None else old.risk_classes)
        if new == old:
            return
        session.merge(Setting(key=YEARLY_CAP, value=new.times))
        session.merge(Setting(key=CAPPED_RISK_CLASSES, value=list(new.risk_classes)))
        audit.record(session, actor, "修改设置", "settings", "",
                     {YEARLY_CAP: [old.times, new.times], CAPPED_RISK_CLASSES: [list(old.risk_classes),
                                                                                list(new.risk_classes)]})


