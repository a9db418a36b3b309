"""The 检查结果 categories in force: PRODUCT.md §2 G's default set, whose wording an admin may change."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.models import Setting
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.inspection import DEFAULT_CATEGORIES, NO_PROBLEM
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError

SETTING = "inspection_result_categories"


def categories_in(session: Session) -> tuple[str, ...]:
    row = session.get(Setting, SETTING)
    return tuple(row.value) if row and row.value else DEFAULT_CATEGORIES


def result_categories(db: Database) -> tuple[str, ...]:
    with db.session() as session:
        return categories_in(session)


def set_result_categories(db: Database, actor: Actor, names: list[str]) -> tuple[str, ...]:
    """Replace the list (管理员 only). 未发现问题 stays: it is the one category that stands alone."""
    require(actor, Role.ADMIN)
    cleaned = [name.strip() for name in names if name.strip()]
    if NO_PROBLEM not in cleaned:
        raise UserError(f"检查结果类别中必须保留“{NO_PROBLEM}”。")
    duplicates = sorted({name for name in cleaned if cleaned.count(name) > 1})
    if duplicates:
        raise UserError(f"检查结果类别重复：{'、'.join(duplicates)}")
    if any("、" in name for name in cleaned):
        raise UserError("检查结果类别中不能含顿号“、”：几个类别同时选择时用顿号分隔。")
    if any(len(name) > 50 for name in cleaned):
        raise UserError("检查结果类别每项不超过 50 个字。")
    with db.session() as session:
        old = list(categories_in(session))
        if old != cleaned:
            session.merge(Setting(key=SETTING, value=cleaned))
            audit.record(session, actor, "修改检查结果类别", "settings", SETTING, {"原": old, "新": cleaned})
    return tuple(cleaned)
