"""一次一档: one folder per inspection with everything about it, a SHA-256 manifest, and one zip.

    <任务编号>/
      manifest.sha256                     sha256sum format, every other file of the folder
      <告知书文号>_<检查对象>/
        检查表.docx                        the 随机抽查检查表 filled from the stored result
        告知书_<文号>.docx                  as issued, byte for byte (voided ones marked 已作废)
        抽取摘录.json                       the subject's line of the draw, its team, the package hash
        检查结果.json                       the result as entered and reviewed
        证据材料/…                          files attached to the inspection
    <任务编号>.zip
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from app.domain.statuses import DrawStatus
from app.db.models import (
    Draw,
    Inspection,
    InspectionAttachment,
    Inspector,
    IssuedDocument,
    Task,
    Team,
)
from app.db.session import Database
from app.documents import TemplateProblem, format_date
from app.documents.docx_render import safe_filename
from app.domain import draw as draw_engine
from app.domain.draw.package import package_files
from app.domain.inspection import InspectionStatus, parse_qr
from app.domain.notices import NOTICE
from app.services.errors import UserError
from app.services.inspection.forms import KIND as CHECK_FORM
from app.services.inspection.forms import check_table_data
from app.services.notices.content import item_names_in
from app.services.progress import NO_PROGRESS, Progress
from app.services.rulebooks.templates import template_store

MANIFEST = "manifest.sha256"


@dataclass(frozen=True)
class ArchiveResult:
    folder: Path
    zip: Path
    inspections: int
    files: int


def _results(inspection: Inspection, names: dict[int, str]) -> dict:
    def day(value):
        return f"{value:%Y-%m-%d}" if value else ""

    return {
        "检查对象": inspection.subject.name, "统一社会信用代码": inspection.subject.identifier,
        "状态": inspection.status, "检查日期": day(inspection.inspected_on), "核查方式": inspection.methods,
        "检查结果": inspection.categories, "后续处置": inspection.follow_ups, "整改期限": day(inspection.rectify_by),
        "移送部门": inspection.handed_to, "移送日期": day(inspection.handed_on), "抄告部门": inspection.copied_to,
        "完结日期": day(inspection.closed_on), "备注": inspection.note,
        "检查事项": [{"检查事项": names.get(r.check_item_id, ""), "发现问题情况": r.finding, "结果": r.result_category,
                  "处置情况": r.handling} for r in inspection.results],
        "录入人": inspection.entered_by, "提交人": inspection.submitted_by, "审核人": inspection.reviewed_by,
        "审核时间": f"{inspection.reviewed_at:%Y-%m-%d %H:%M}" if inspection.reviewed_at else "",
    }


def _filled_forms(db: Database, task_id: int, inspections: dict[int, Inspection], names: dict[int, str]) -> dict:
    """The 检查表 of each inspection, with the stored result written in."""
    filled = {}
    for form in check_table_data(db, task_id):
        inspection_id = parse_qr(form["二维码文字"])[0]
        inspection = inspections.get(inspection_id)
        if inspection is None:
            continue
        by_name = {names.get(r.check_item_id): r for r in inspection.results}
        rows = []
        for row in form["检查事项"]:
            result = by_name.get(row["检查事项"])
            rows.append({**row, "发现问题情况": (result.finding or result.result_category) if result else "",
                         "处置情况": result.handling if result else ""})
        filled[inspection_id] = {**form, "检查事项": rows, "核查方式": list(inspection.methods),
                                 "检查日期": format_date(inspection.inspected_on) if inspection.inspected_on else "",
                                 "检查结果": inspection.result_category}
    return filled


def _draw_excerpts(session, task: Task) -> tuple[dict[str, dict], dict[int, dict], str, str]:
    """(subject code → its line, team id → team, package draw.json SHA-256, draw status)."""
    draw = session.scalars(select(Draw).where(Draw.task_id == task.id, Draw.status != DrawStatus.ABANDONED)).first()
    if draw is None:
        raise UserError("该任务还没有抽取，没有可归档的检查记录。")
    state = draw_engine.DrawState.from_dict(draw.state["engine"])
    package_hash = hashlib.sha256(package_files(state)["draw.json"]).hexdigest()
    lines = {s["id"]: s for s in (state.final or {}).get("subjects", [])}
    teams = session.scalars(select(Team).where(Team.draw_id == draw.id).options(selectinload(Team.members))).all()
    people = dict(session.execute(select(Inspector.id, Inspector.name)).all())
    team_info = {t.id: {"组号": f"第{t.number}组", "组长": people.get(t.leader_id, ""),
                        "成员": [people.get(m.inspector_id, "") for m in t.members]} for t in teams}
    return lines, team_info, package_hash, draw.seed_hex


def _write(path: Path, data: bytes, written: dict[Path, str]) -> None:
    """Write a file and remember its SHA-256 for the manifest (hashed from memory, not read back)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    written[path] = hashlib.sha256(data).hexdigest()


def export_archive(db: Database, task_id: int, out: str | os.PathLike,
                   progress: Progress = NO_PROGRESS) -> ArchiveResult:
    """Write the task's archive into ``out`` (a new folder is made inside it) and zip it."""
    out = Path(out)
    progress.step(0, 0, "正在读取检查记录…")
    with db.session() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise UserError(f"没有编号为 {task_id} 的任务。")
        inspections = {i.id: i for i in session.scalars(
            select(Inspection).where(Inspection.task_id == task_id, Inspection.status != InspectionStatus.REPLACED)
            .order_by(Inspection.draw_rank).options(selectinload(Inspection.subject), selectinload(Inspection.results)))}
        if not inspections:
            raise UserError("该任务还没有检查记录，没有可归档的。")
        names = item_names_in(session, list(inspections.values()))
        lines, teams, package_hash, seed = _draw_excerpts(session, task)
        notices: dict[int, list[IssuedDocument]] = {}
        for document in session.scalars(select(IssuedDocument).where(
                IssuedDocument.kind == NOTICE, IssuedDocument.task_id == task_id)
                .options(undefer(IssuedDocument.content)).order_by(IssuedDocument.serial)):
            notices.setdefault(document.inspection_id, []).append(document)
        attachments: dict[int, list[tuple[int, str, bytes]]] = {}
        for a in session.execute(select(InspectionAttachment.id, InspectionAttachment.inspection_id,
                                        InspectionAttachment.file_name, InspectionAttachment.content)
                                 .where(InspectionAttachment.inspection_id.in_(inspections))):
            attachments.setdefault(a.inspection_id, []).append((a.id, a.file_name, a.content))
        task_number, task_name = task.number, task.name
    forms = _filled_forms(db, task_id, inspections, names)
    try:
        check_form = template_store().load(CHECK_FORM)
    except TemplateProblem as exc:
        raise UserError(str(exc)) from exc
    root = out / safe_filename(task_number or f"任务{task_id}")
    if root.exists() and any(root.iterdir()):
        raise UserError(f"文件夹“{root}”已存在且不是空的，请选择另一个位置导出档案。")
    written: dict[Path, str] = {}
    try:
        for n, inspection in enumerate(inspections.values(), 1):
            progress.step(n - 1, len(inspections), f"正在归档 {inspection.subject.name}")
            issued = notices.get(inspection.id, [])
            live = next((d for d in reversed(issued) if d.voided_at is None), None)
            label = live.number_text if live else f"未出具告知书{inspection.draw_rank:03d}"
            folder = root / safe_filename(f"{label}_{inspection.subject.name}")
            form = forms[inspection.id]
            _write(folder / "检查表.docx", check_form.fill(form), written)
            for document in issued:
                suffix = f"（已作废：{document.void_reason}）" if document.voided_at else ""
                _write(folder / safe_filename(f"告知书_{document.number_text}{suffix}.docx"), document.content, written)
            code = inspection.subject.identifier
            excerpt = {"任务编号": task_number, "任务名称": task_name, "本对象抽取记录": lines.get(code, {}),
                       "抽取顺位": inspection.draw_rank, "检查组": teams.get(inspection.team_id, {}),
                       "最终种子": seed, "验证包 draw.json SHA-256": package_hash}
            _write(folder / "抽取摘录.json", _json(excerpt), written)
            _write(folder / "检查结果.json", _json(_results(inspection, names)), written)
            for attachment_id, name, content in attachments.get(inspection.id, []):
                _write(folder / "证据材料" / safe_filename(f"{attachment_id}_{name}"), content, written)
        manifest = "".join(f"{digest}  {path.relative_to(root).as_posix()}\n"
                           for path, digest in sorted(written.items()))
        _write(root / MANIFEST, manifest.encode("utf-8"), written)
        archive = root.with_name(root.name + ".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bundle:
            for path in sorted(written):
                bundle.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
    except OSError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise UserError(f"无法写入档案：{exc.strerror or exc}（{getattr(exc, 'filename', '')}）") from exc
    progress.step(len(inspections), len(inspections), "档案已导出")
    return ArchiveResult(root, archive, len(inspections), len(written))


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def verify_archive(folder: str | os.PathLike) -> tuple[bool, list[str]]:
    """(passed, Chinese lines naming every changed, missing or unlisted file) for an exported archive."""
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        candidates = [p.parent for p in folder.glob(f"*/{MANIFEST}")]
        if len(candidates) != 1:
            raise UserError(f"“{folder}”中没有 {MANIFEST}，不是导出的一次一档档案文件夹。")
        folder, manifest = candidates[0], candidates[0] / MANIFEST
    listed: dict[str, str] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            listed[name] = digest
    problems = []
    for name, digest in listed.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"缺少文件：{name}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"文件已被修改：{name}")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    problems += [f"清单中没有的文件：{name}" for name in sorted(present - set(listed))]
    if problems:
        return False, [*problems, f"不通过：{len(problems)} 处与清单不符。"]
    return True, [f"共 {len(listed)} 个文件，与 {MANIFEST} 一致。", "通过"]
