"""一单: importing the published 随机抽查事项清单, keeping its 动态调整 history, exporting it.

Re-importing a list updates the items it already holds (matched by the item's key)
instead of adding them twice, and every difference lands in the item's history
with the date, what changed and why.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.db.models import CheckItem, CheckItemChange
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress
from app.tabular import JOINT, CheckItemRow, Issue, TabularError, export_check_item_list, list_layout, read_check_item_file
from app.services.backup.write_lock import long_write
from app.services.errors import check_output_path, writing_error

LIST_NAMES = {JOINT: "部门联合抽查事项清单"}
STANDARD_LIST = "随机抽查事项清单"
# model attribute -> (CheckItemRow attribute, label shown in the history)
FIELDS = {
    "compiler": ("department", "编制单位"),
    "seq": ("seq", "序号"),
    "category": ("category", "抽查类别"),
    "name": ("name", "抽查事项"),
    "target": ("target", "检查对象"),
    "item_class": ("item_class", "事项类别"),
    "methods": ("methods", "检查方式"),
    "methods_text": ("methods_text", "检查方式（原文）"),
    "inspecting_body": ("authority", "检查主体"),
    "legal_basis": ("legal_basis", "检查依据"),
    "lead_departments": ("lead_departments", "发起部门"),
    "partner_departments": ("partner_departments", "配合部门"),
    "ratio_text": ("ratio", "抽查比例"),
    "frequency_text": ("frequency", "抽查频次"),
}


def natural_key(list_name: str, row: CheckItemRow) -> str:
    parts = (list_name, *row.key)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _row_value(row: CheckItemRow, attribute: str):
    value = getattr(row, attribute)
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class ItemImportResult:
    list_name: str
    total: int
    imported: int
    updated: int
    unchanged: int
    not_in_file: int  # items of the same list already held but absent from this file
    warnings: tuple[Issue, ...] = ()  # formulas' saved values taken, items printed twice

    def summary(self) -> str:
        """What the clerk is told: the counts, then each warning with its row and column."""
        text = f"《{self.list_name}》共 {self.total} 项：新增 {self.imported}，更新 {self.updated}，未变 {self.unchanged}。"
        if self.warnings:
            text += f"\n请核对以下 {len(self.warnings)} 处：\n" + "\n".join(
                f"第 {w.row} 行「{w.column}」：{w.message}" for w in self.warnings[:20])
        return text


def import_check_items(
    db: Database, actor: Actor, path: str | os.PathLike, reason: str = "",
    progress: Progress = NO_PROGRESS, sheet: str | None = None,
) -> ItemImportResult:
    """Import a published list; all or nothing."""
    require(actor, Role.CLERK)
    with long_write(db, actor, "导入事项清单", progress) as session:
        return import_check_items_in(session, actor, path, reason, progress, sheet)


def import_check_items_in(
    session: Session, actor: Actor, path: str | os.PathLike, reason: str = "",
    progress: Progress = NO_PROGRESS, sheet: str | None = None,
) -> ItemImportResult:
    """The same, inside the caller's transaction (the demo county builds everything in one).

    A file with an error (a formula without its saved value, #REF!, a control character) is
    refused whole, naming each cell: importing it would blank fields the list already holds."""
    try:
        parsed = read_check_item_file(path, sheet)
    except TabularError as exc:
        raise UserError(str(exc)) from exc
    if parsed.errors:
        shown = "\n".join(f"第 {i.row} 行「{i.column}」：{i.message}" for i in parsed.errors[:10])
        more = f"\n…… 另有 {len(parsed.errors) - 10} 处错误。" if len(parsed.errors) > 10 else ""
        raise UserError(f"“{Path(path).name}”中有 {len(parsed.errors)} 处错误，未导入任何事项：\n{shown}{more}")
    rows = parsed.items
    if not rows:
        raise UserError(f"“{Path(path).name}”中没有读到任何抽查事项，请确认选择了事项清单文件。")
    list_name = LIST_NAMES.get(list_layout(rows), STANDARD_LIST)
    reason = reason or f"导入《{Path(path).name}》"
    imported = updated = unchanged = 0
    existing = {item.natural_key: item for item in session.scalars(
        select(CheckItem).where(CheckItem.list_name == list_name))}
    seen = set()
    for number, row in enumerate(rows):
        if number % 50 == 0:
            progress.step(number, len(rows), f"正在导入第 {number + 1} 项，共 {len(rows)} 项")
        key = natural_key(list_name, row)
        if key in seen:
            continue  # the same item printed twice in one list: the first is kept (a warning says so)
        seen.add(key)
        item = existing.get(key)
        if item is None:
            item = CheckItem(natural_key=key, list_name=list_name, enabled=True,
                             **{attr: _row_value(row, src) for attr, (src, _) in FIELDS.items()})
            session.add(item)
            item.changes.append(CheckItemChange(action="新增", reason=reason, actor=actor.name, changes={}))
            imported += 1
            continue
        changes = {label: [getattr(item, attr), _row_value(row, src)]
                   for attr, (src, label) in FIELDS.items() if getattr(item, attr) != _row_value(row, src)}
        if not changes:
            unchanged += 1
            continue
        for attr, (src, _) in FIELDS.items():
            setattr(item, attr, _row_value(row, src))
        item.changes.append(CheckItemChange(action="修改", reason=reason, actor=actor.name, changes=changes,
                                            change_count=len(changes)))
        updated += 1
    result = ItemImportResult(list_name, len(seen), imported, updated, unchanged, len(set(existing) - seen),
                              tuple(parsed.warnings))
    audit.record(session, actor, "导入事项清单", "check_items", list_name,
                 {"文件": Path(path).name, "新增": imported, "更新": updated, "未变": unchanged})
    progress.step(len(rows), len(rows), "导入完成")
    return result


@dataclass(frozen=True)
class ItemRow:
    id: int
    list_name: str
    compiler: str
    seq: str
    category: str
    name: str
    target: str
    item_class: str
    methods: tuple[str, ...]
    inspecting_body: str
    legal_basis: str
    lead_departments: str
    enabled: bool


def list_items(db: Database, text: str = "", list_name: str | None = None, enabled_only: bool = False) -> list[ItemRow]:
    stmt = select(CheckItem).order_by(CheckItem.list_name.desc(), CheckItem.id)
    if text.strip():
        needle = text.strip()
        stmt = stmt.where(or_(CheckItem.name.contains(needle, autoescape=True),
                              CheckItem.category.contains(needle, autoescape=True),
                              CheckItem.compiler.contains(needle, autoescape=True),
                              CheckItem.lead_departments.contains(needle, autoescape=True)))
    if list_name:
        stmt = stmt.where(CheckItem.list_name == list_name)
    if enabled_only:
        stmt = stmt.where(CheckItem.enabled)
    with db.session() as session:
        return [ItemRow(i.id, i.list_name, i.compiler, i.seq, i.category, i.name, i.target, i.item_class,
                        tuple(i.methods), i.inspecting_body, i.legal_basis, i.lead_departments, i.enabled)
                for i in session.scalars(stmt)]


def list_names(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(CheckItem.list_name).distinct().order_by(CheckItem.list_name.desc())))


def item_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(CheckItem)) or 0


def set_enabled(db: Database, actor: Actor, item_id: int, enabled: bool, reason: str) -> None:
    """停用 or 启用 an item; the reason is required and kept in its history."""
    require(actor, Role.CLERK)
    if not reason.strip():
        raise UserError("请填写调整原因（如：依据××文件取消该事项）。")
    with db.session() as session:
        item = session.get(CheckItem, item_id)
        if item is None:
            raise UserError("该事项已不存在，请刷新列表。")
        if item.enabled == enabled:
            return
        item.enabled = enabled
        action = "启用" if enabled else "停用"
        item.changes.append(CheckItemChange(action=action, reason=reason.strip(), actor=actor.name,
                                            changes={"状态": ["停用" if enabled else "启用", action]}, change_count=1))
        audit.record(session, actor, f"{action}抽查事项", "check_item", item_id, {"事项": item.name, "原因": reason})


@dataclass(frozen=True)
class ChangeRow:
    changed_at: datetime
    action: str
    changes: dict
    reason: str
    actor: str


def item_history(db: Database, item_id: int) -> list[ChangeRow]:
    with db.session() as session:
        stmt = select(CheckItemChange).where(CheckItemChange.item_id == item_id).order_by(CheckItemChange.id)
        return [ChangeRow(c.changed_at, c.action, c.changes, c.reason, c.actor) for c in session.scalars(stmt)]


def export_items(db: Database, path: str | os.PathLike, list_name: str) -> int:
    """Write one list back to xlsx in the provincial layout; returns the number of items."""
    with db.session() as session:
        items = session.scalars(select(CheckItem).where(CheckItem.list_name == list_name).order_by(CheckItem.id)).all()
        rows = [CheckItemRow(**{src: tuple(getattr(i, attr)) if attr == "methods" else getattr(i, attr)
                                for attr, (src, _) in FIELDS.items()}) for i in items]
    if not rows:
        raise UserError(f"还没有“{list_name}”中的事项可以导出。")
    check_output_path(path)
    try:
        export_check_item_list(rows, path)
    except OSError as exc:
        raise writing_error(path, exc) from exc
    return len(rows)
