"""一细则: the department's 随机抽查工作细则 and the per-item 工作指引, versioned.

Saving never overwrites: each save adds a version, and the newest one is in
force.  Until a department has saved anything, the defaults drawn from the
regulations (app.documents.rulebook_defaults / guide_defaults) stand in, so
the wizard and the export always have wording to show.

Which 抽查事项 belong to a department: an item imported from a provincial list
names its 编制单位 (“省市场监管局”) or, in a joint list, its 发起部门
(“市场监管部门”); the county department is “××县市场监督管理局”.  They are
matched by the sector words they share (市场监管, 卫生健康, 应急 …), or by the
item's department_id when it has one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import CheckItem, Department, ItemGuide, Rulebook
from app.db.session import Database
from app.documents import RULEBOOK_SECTIONS, guide_defaults, rulebook_defaults
from app.documents.fields import format_date
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress

SECTION_NAMES: tuple[str, ...] = tuple(name for name, _ in RULEBOOK_SECTIONS)
SECTION_HINTS: dict[str, str] = dict(RULEBOOK_SECTIONS)
#: 公示时限 and the low-risk cap the default wording is written with (keyword → label)
DEADLINES: dict[str, tuple[str, int]] = {
    "plan_days": ("抽查计划公示（工作日）", 10),
    "list_days": ("检查对象名单公示（工作日）", 10),
    "result_days": ("检查结果公示（工作日）", 20),
    "penalty_days": ("处理结果公示（工作日）", 7),
    "low_risk_cap": ("低风险对象每年最多抽查（次）", 2),
}
MAX_TEXT = 2000  # ItemGuide text columns

# Sector words: a department and an item belong together when both name one of a group.
SECTORS: tuple[tuple[str, ...], ...] = (
    ("市场监管", "市场监督"), ("卫生健康", "卫健", "卫生和计划生育"), ("生态环境", "环境保护", "环保"),
    ("应急管理", "应急", "安全生产监督"), ("教育",), ("交通运输", "交通"), ("农业农村", "农业"),
    ("公安",), ("人力资源", "人社"), ("商务",), ("住房和城乡建设", "住房", "住建"),
    ("旅游", "旅文", "文旅", "文化广电", "文化和旅游", "文广"), ("消防",), ("税务",), ("统计",),
    ("海关",), ("发展改革", "发改"), ("自然资源", "国土"), ("水利", "水务"), ("林业",), ("民政",),
    ("司法",), ("财政",), ("医疗保障", "医保"), ("药品监督", "药监"), ("烟草",), ("邮政",),
    ("气象",), ("体育",), ("工业和信息化", "工信", "经信"), ("城市管理", "城管", "综合执法"),
)


def sectors_of(text: str) -> set[int]:
    return {i for i, words in enumerate(SECTORS) if any(w in (text or "") for w in words)}


# --- departments --------------------------------------------------------------------------
@dataclass(frozen=True)
class DepartmentRef:
    id: int
    name: str
    short_name: str
    is_office: bool


def is_regulator(name: str, is_office: bool = False) -> bool:
    """A regulating department keeps a 工作细则; the county 双随机办 (联席会议办公室) does not."""
    return not (is_office or "双随机" in name or "联席会议" in name)


def _department(session: Session, department_id: int) -> Department:
    dept = session.get(Department, department_id)
    if dept is None:
        raise UserError("该部门已不存在，请刷新后重试。")
    return dept


def find_department(db: Database, name: str) -> DepartmentRef:
    """A department by its full name or 简称 (for the command line)."""
    wanted = (name or "").strip()
    with db.session() as session:
        rows = list(session.scalars(select(Department).where(Department.active).order_by(Department.id)))
    for dept in rows:
        if wanted in (dept.name, dept.short_name):
            return DepartmentRef(dept.id, dept.name, dept.short_name, dept.is_office)
    partial = [d for d in rows if wanted and wanted in d.name]
    if len(partial) == 1:
        d = partial[0]
        return DepartmentRef(d.id, d.name, d.short_name, d.is_office)
    names = "、".join(d.name for d in rows) or "（尚无部门，请先在建库向导或设置中添加）"
    raise UserError(f"没有找到部门“{wanted}”。已有部门：{names}")


# --- 工作细则 -----------------------------------------------------------------------------
@dataclass
class RulebookDraft:
    """What the clerk edits: the sections' paragraphs, the 文号 and the deadlines used."""

    department_id: int
    department_name: str
    sections: dict[str, list[str]]
    doc_number: str = ""
    deadlines: dict[str, int] = field(default_factory=lambda: {k: v for k, (_, v) in DEADLINES.items()})
    version: int = 0  # 0: not saved yet (the defaults)
    created_at: datetime | None = None
    created_by: str = ""

    @property
    def is_default(self) -> bool:
        return self.version == 0

    @property
    def title(self) -> str:
        return f"{self.department_name}随机抽查工作细则"


def default_rulebook(department_id: int, department_name: str, **deadlines: int) -> RulebookDraft:
    values = {k: v for k, (_, v) in DEADLINES.items()}
    values.update({k: int(v) for k, v in deadlines.items() if k in DEADLINES})
    return RulebookDraft(department_id, department_name, rulebook_defaults(department_name, **values),
                         deadlines=values)


def _draft_from(row: Rulebook, dept: Department) -> RulebookDraft:
    stored = row.sections or {}
    deadlines = {k: v for k, (_, v) in DEADLINES.items()}
    deadlines.update({k: int(v) for k, v in (stored.get("时限") or {}).items() if k in DEADLINES})
    sections = {name: [str(p) for p in stored.get(name) or []] for name in SECTION_NAMES}
    return RulebookDraft(dept.id, dept.name, sections, str(stored.get("文号") or ""), deadlines,
                         row.version, row.created_at, row.created_by)


def get_rulebook(db: Database, department_id: int) -> RulebookDraft:
    """The version in force, or the defaults (version 0) when none was saved."""
    with db.session() as session:
        dept = _department(session, department_id)
        row = session.scalars(select(Rulebook).where(Rulebook.department_id == department_id)
                              .order_by(Rulebook.version.desc()).limit(1)).first()
        return _draft_from(row, dept) if row else default_rulebook(dept.id, dept.name)


@dataclass(frozen=True)
class RulebookVersion:
    version: int
    created_at: datetime | None
    created_by: str


def rulebook_versions(db: Database, department_id: int) -> list[RulebookVersion]:
    with db.session() as session:
        rows = session.scalars(select(Rulebook).where(Rulebook.department_id == department_id)
                               .order_by(Rulebook.version.desc()))
        return [RulebookVersion(r.version, r.created_at, r.created_by) for r in rows]


def _clean(paragraphs) -> list[str]:
    if isinstance(paragraphs, str):
        paragraphs = paragraphs.splitlines()
    return [p.strip() for p in paragraphs or [] if p and p.strip()]


def save_rulebook(db: Database, actor: Actor, draft: RulebookDraft) -> int:
    """Save as a new version (never overwrites); returns the version number."""
    require(actor, Role.CLERK)
    sections = {name: _clean(draft.sections.get(name)) for name in SECTION_NAMES}
    empty = [name for name, paragraphs in sections.items() if not paragraphs]
    if empty:
        raise UserError(f"工作细则的“{'”“'.join(empty)}”一节是空的。请填写内容，或点“恢复默认文字”。")
    with db.session() as session:
        dept = _department(session, draft.department_id)
        last = session.scalar(select(func.max(Rulebook.version)).where(Rulebook.department_id == dept.id)) or 0
        previous = session.scalars(select(Rulebook).where(Rulebook.department_id == dept.id,
                                                          Rulebook.version == last)).first()
        stored = {**sections, "文号": draft.doc_number.strip(),
                  "时限": {k: int(v) for k, v in draft.deadlines.items() if k in DEADLINES}}
        if previous is not None and previous.sections == stored:
            return last  # nothing changed: no new version
        row = Rulebook(department_id=dept.id, version=last + 1, title=f"{dept.name}随机抽查工作细则",
                       sections=stored, created_by=actor.name)
        session.add(row)
        session.flush()
        changed = [n for n in SECTION_NAMES if previous is None or (previous.sections or {}).get(n) != sections[n]]
        audit.record(session, actor, "保存工作细则", "rulebook", row.id,
                     {"部门": dept.name, "版本": row.version, "修改的节": changed})
        return row.version


# --- 工作指引 -----------------------------------------------------------------------------
@dataclass(frozen=True)
class DepartmentItem:
    id: int
    list_name: str
    category: str
    name: str
    target: str
    item_class: str
    methods_text: str
    legal_basis: str


def _items_for(session: Session, dept: Department, enabled_only: bool = True) -> list[CheckItem]:
    wanted = sectors_of(dept.name)
    stmt = select(CheckItem).order_by(CheckItem.list_name.desc(), CheckItem.id)
    if enabled_only:
        stmt = stmt.where(CheckItem.enabled)
    items = []
    for item in session.scalars(stmt):
        if item.department_id is not None:
            if item.department_id == dept.id:
                items.append(item)
            continue
        if wanted and wanted & sectors_of(item.compiler or item.lead_departments):
            items.append(item)
    return items


def department_items(db: Database, department_id: int, enabled_only: bool = True) -> list[DepartmentItem]:
    """The 抽查事项 of the department's sector (see the module note)."""
    with db.session() as session:
        dept = _department(session, department_id)
        return [DepartmentItem(i.id, i.list_name, i.category, i.name, i.target, i.item_class,
                               i.methods_text or "、".join(i.methods or []), i.legal_basis)
                for i in _items_for(session, dept, enabled_only)]


@dataclass
class GuideDraft:
    """One item's 工作指引; each list holds paragraphs (检查内容: one 检查要点 each)."""

    check_item_id: int
    item_name: str
    check_points: list[str]
    method: list[str]
    standard: list[str]
    handling: list[str]
    version: int = 0  # 0: not saved yet (the defaults)

    @property
    def is_default(self) -> bool:
        return self.version == 0


def _methods(item: CheckItem) -> list[str]:
    return list(item.methods or []) or [m for m in (item.methods_text or "").replace("，", "、").split("、") if m]


def default_check_points(item: CheckItem) -> list[str]:
    subject = item.target or "检查对象"
    name = item.name.removesuffix("检查").removesuffix("的") or item.name
    if not name.endswith("情况"):
        name += "情况"
    if len(subject) > 12 or name.startswith(subject):
        subject = ""
    points = [f"{subject}{name}是否符合检查依据的规定。",
              "有关许可证照、登记备案事项与实际情况是否一致，台账、记录是否齐全、真实。"]
    if item.legal_basis:
        basis = item.legal_basis.splitlines()[0].strip()
        points.append(f"对照{basis[:120]}逐项核查。")
    return points


def default_guide(item: CheckItem) -> GuideDraft:
    defaults = guide_defaults(_methods(item) or "实地核查")
    return GuideDraft(item.id, item.name, default_check_points(item), defaults["检查方法"],
                      defaults["判定标准"], defaults["后续处置"])


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def _guide_from(row: ItemGuide, item: CheckItem) -> GuideDraft:
    return GuideDraft(item.id, item.name, list(row.check_points or _lines(row.content)), _lines(row.method),
                      _lines(row.standard), _lines(row.handling), row.version)


def _current_guides(session: Session, item_ids: list[int]) -> dict[int, ItemGuide]:
    if not item_ids:
        return {}
    newest = (select(ItemGuide.check_item_id, func.max(ItemGuide.version).label("v"))
              .where(ItemGuide.check_item_id.in_(item_ids)).group_by(ItemGuide.check_item_id).subquery())
    stmt = select(ItemGuide).join(newest, (ItemGuide.check_item_id == newest.c.check_item_id)
                                  & (ItemGuide.version == newest.c.v))
    return {g.check_item_id: g for g in session.scalars(stmt)}


def get_guide(db: Database, check_item_id: int) -> GuideDraft:
    with db.session() as session:
        item = session.get(CheckItem, check_item_id)
        if item is None:
            raise UserError("该抽查事项已不存在，请刷新后重试。")
        row = _current_guides(session, [item.id]).get(item.id)
        return _guide_from(row, item) if row else default_guide(item)


def _joined(paragraphs: list[str], label: str, item_name: str) -> str:
    text = "\n".join(_clean(paragraphs))
    if len(text) > MAX_TEXT:
        raise UserError(f"“{item_name}”的{label}超过 {MAX_TEXT} 字，请精简后再保存。")
    return text


def _add_guide(session: Session, item: CheckItem, draft: GuideDraft, version: int) -> ItemGuide:
    points = _clean(draft.check_points)
    if not points:
        raise UserError(f"“{item.name}”的检查内容是空的。请至少写一条检查要点。")
    row = ItemGuide(check_item_id=item.id, version=version,
                    content=_joined(points, "检查内容", item.name),
                    method=_joined(draft.method, "检查方法", item.name),
                    standard=_joined(draft.standard, "判定标准", item.name),
                    handling=_joined(draft.handling, "后续处置", item.name), check_points=points)
    session.add(row)
    return row


def save_guide(db: Database, actor: Actor, draft: GuideDraft) -> int:
    """Save one item's guide as a new version; returns the version number."""
    require(actor, Role.CLERK)
    with db.session() as session:
        item = session.get(CheckItem, draft.check_item_id)
        if item is None:
            raise UserError("该抽查事项已不存在，请刷新后重试。")
        last = session.scalar(select(func.max(ItemGuide.version))
                              .where(ItemGuide.check_item_id == item.id)) or 0
        row = _add_guide(session, item, draft, last + 1)
        session.flush()
        audit.record(session, actor, "保存工作指引", "item_guide", row.id,
                     {"抽查事项": item.name, "版本": row.version})
        return row.version


def check_points(db: Database, item_ids: list[int]) -> dict[int, list[str]]:
    """The 检查要点 each item's guide in force prints on the 检查表 (the defaults when none is saved)."""
    with db.session() as session:
        items = list(session.scalars(select(CheckItem).where(CheckItem.id.in_(item_ids))))
        current = _current_guides(session, [i.id for i in items])
        return {i.id: list(current[i.id].check_points or _lines(current[i.id].content)) if i.id in current
                else default_check_points(i) for i in items}


@dataclass(frozen=True)
class GuideRow:
    check_item_id: int
    category: str
    item_name: str
    target: str
    version: int  # 0: no guide saved yet
    check_points: int


def list_guides(db: Database, department_id: int) -> list[GuideRow]:
    """The department's enabled items and the version of each one's guide."""
    with db.session() as session:
        items = _items_for(session, _department(session, department_id))
        current = _current_guides(session, [i.id for i in items])
        return [GuideRow(i.id, i.category, i.name, i.target, current[i.id].version if i.id in current else 0,
                         len(current[i.id].check_points or []) if i.id in current else 0) for i in items]


@dataclass(frozen=True)
class GuideGeneration:
    items: int
    created: int  # items that had no guide and now have version 1
    kept: int  # items whose saved guide was left as it is


def generate_default_guides(db: Database, actor: Actor, department_id: int,
                            progress: Progress = NO_PROGRESS) -> GuideGeneration:
    """Write the default guide for every enabled item of the department that has none.

    Guides already saved are kept (edit them one by one); all or nothing.
    """
    require(actor, Role.CLERK)
    with db.session() as session:
        dept = _department(session, department_id)
        items = _items_for(session, dept)
        if not items:
            raise UserError(f"“{dept.name}”还没有对应的抽查事项。请先在“事项清单”一步导入本部门的随机抽查事项清单。")
        current = _current_guides(session, [i.id for i in items])
        created = 0
        for number, item in enumerate(items):
            if number % 20 == 0:
                progress.step(number, len(items), f"正在生成工作指引 {number + 1}/{len(items)}")
            if item.id in current:
                continue
            _add_guide(session, item, default_guide(item), 1)
            created += 1
        if created:
            audit.record(session, actor, "生成工作指引", "department", dept.id,
                         {"部门": dept.name, "新建": created, "保留": len(current)})
        progress.step(len(items), len(items), "工作指引已生成")
        return GuideGeneration(len(items), created, len(current))


# --- export ---------------------------------------------------------------------------------
def _store(store):
    if store is not None:
        return store
    from app.services.rulebooks.templates import template_store

    return template_store()


def _render(store, kind: str, data: dict, out: str | os.PathLike,
            progress: Progress = NO_PROGRESS) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError(f"导出文件应以 .docx 结尾：{out.name}")
    from app.services.rulebooks.templates import fill_form

    return fill_form(lambda: store.load(kind), [data], out, progress)


def rulebook_context(draft: RulebookDraft, issued_on: date | None = None) -> dict:
    data: dict = {name: draft.sections.get(name, []) for name in SECTION_NAMES}
    data.update({"部门名称": draft.department_name, "文号": draft.doc_number,
                 "印发日期": format_date(issued_on or (draft.created_at.date() if draft.created_at else date.today()))})
    return data


def export_rulebook(db: Database, department_id: int, out: str | os.PathLike, store=None,
                    progress: Progress = NO_PROGRESS) -> int:
    """Write the rulebook in force as .docx; returns the number of sections written."""
    draft = get_rulebook(db, department_id)
    _render(_store(store), "rulebook", rulebook_context(draft), out, progress)
    return sum(1 for name in SECTION_NAMES if draft.sections.get(name))


def guides_context(db: Database, department_id: int, year: int | None = None) -> dict:
    with db.session() as session:
        dept = _department(session, department_id)
        items = _items_for(session, dept)
        current = _current_guides(session, [i.id for i in items])
        rows = []
        for item in items:
            guide = _guide_from(current[item.id], item) if item.id in current else default_guide(item)
            rows.append({"抽查类别": item.category, "抽查事项": item.name, "检查对象": item.target,
                         "事项类别": item.item_class, "检查方式": item.methods_text or "、".join(item.methods or []),
                         "检查依据": item.legal_basis, "检查内容": guide.check_points, "检查方法": guide.method,
                         "判定标准": guide.standard, "后续处置": guide.handling})
        year = year or date.today().year
        return {"部门名称": dept.name, "年度": year,
                "说明": [f"为规范{dept.name}随机抽查检查行为，统一检查内容、检查方法和判定标准，根据本部门随机抽查事项清单，"
                       f"制定本指引。执法检查人员实施检查时，按本指引逐项检查并如实记录。"],
                "抽查事项": rows, "印发日期": format_date(date.today())}


def export_guides(db: Database, department_id: int, out: str | os.PathLike, store=None,
                  year: int | None = None, progress: Progress = NO_PROGRESS) -> int:
    """Write the 工作指引 (a table per enabled item) as .docx; returns the number of items."""
    data = guides_context(db, department_id, year)
    if not data["抽查事项"]:
        raise UserError(f"“{data['部门名称']}”还没有对应的抽查事项，工作指引无内容可导出。")
    _render(_store(store), "item_guide", data, out, progress)
    return len(data["抽查事项"])
