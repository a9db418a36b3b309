"""Office-wide settings (shared by every PC on the database) and departments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db.models import Department, Setting
from app.db.session import Database
from app.services import audit
from app.services.errors import UserError

OFFICE_NAME = "office_name"  # 单位名称，用于文书落款
COUNTY_NAME = "county_name"  # 县（市、区）名
TASK_NUMBER_PATTERN = "task_number_pattern"
NOTICE_NUMBER_PATTERN = "notice_number_pattern"  # 检查结果告知书文号
RECORD_NUMBER_PATTERN = "record_number_pattern"  # 抽取过程记录编号
PUBLICITY_PLATFORM = "publicity_platform"  # 公示平台
NOTICE_CONTACT = "notice_contact"  # 告知书联系人
NOTICE_PHONE = "notice_phone"  # 告知书联系电话

DEFAULTS = {
    OFFICE_NAME: "",
    COUNTY_NAME: "",
    TASK_NUMBER_PATTERN: "{简称}抽查〔{年}〕{序号}号",
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


def save_settings(db: Database, actor: str, values: dict) -> None:
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


def save_departments(db: Database, actor: str, rows: list[tuple[int | None, str, str]]) -> None:
    """Add or rename departments: (id or None, 名称, 简称). Names must be unique and non-empty."""
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
