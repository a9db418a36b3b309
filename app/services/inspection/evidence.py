"""证据材料: photos and scans kept with an inspection, in the database so every PC on a shared server sees them.

The rules (issue #12 point 5; the checks themselves are in ``app.domain.inspection``):

- a 经办人 adds files to any inspection that was not replaced, in any status (整改 photos and signed
  送达回证 arrive after review too); each file at most 20 MB, not empty, readable. Several files
  chosen together are stored together or not at all: a refused file is named with its reason and
  nothing is stored.
- a file is removed only by the 经办人 who added it, only while the inspection's result may still be
  changed (待检查, 已录入, 退回), and with a reason. From 提交审核 on the evidence is what the reviewer
  judged, and then what the notice and 一次一档 rest on: it stays.
- adding and removing are audited (file name, size, SHA-256; who added it and the reason). Anyone who
  can open the program may list the files and take a copy.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from app.db.models import Inspection, InspectionAttachment, User
from app.db.session import Database
from app.documents.docx_render import safe_filename
from app.domain.accounts import Actor, Role
from app.domain.inspection import (
    evidence_adding_problem,
    evidence_file_problem,
    evidence_removal_problem,
    size_text,
)
from app.services.accounts import require
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress
from app.services.rulebooks.templates import preview_dir
from app.services.system import audit


@dataclass(frozen=True)
class EvidenceFile:
    id: int
    inspection_id: int
    file_name: str
    size: int
    sha256: str
    added_by: str  # username
    added_by_name: str  # as the users list names them (the username when the account is unknown)
    added_at: datetime
    note: str = ""

    @property
    def size_text(self) -> str:
        return size_text(self.size)


def _rows(session, condition) -> list[EvidenceFile]:
    query = (select(InspectionAttachment.id, InspectionAttachment.inspection_id, InspectionAttachment.file_name,
                    InspectionAttachment.size, InspectionAttachment.sha256, InspectionAttachment.added_by,
                    User.display_name, InspectionAttachment.added_at, InspectionAttachment.note)
             .outerjoin(User, User.username == InspectionAttachment.added_by)
             .where(condition).order_by(InspectionAttachment.inspection_id, InspectionAttachment.id))
    return [EvidenceFile(r.id, r.inspection_id, r.file_name, r.size, r.sha256, r.added_by,
                         r.display_name or r.added_by, r.added_at, r.note) for r in session.execute(query)]


def list_files(db: Database, inspection_ids: int | Iterable[int]) -> list[EvidenceFile]:
    """The evidence of one inspection or several, oldest first (the files' contents are not read)."""
    ids = [inspection_ids] if isinstance(inspection_ids, int) else list(inspection_ids)
    with db.session() as session:
        return _rows(session, InspectionAttachment.inspection_id.in_(ids))


def _checked(paths: list[Path]) -> list[tuple[Path, int]]:
    """Every chosen file's size, or one UserError naming each file that may not be added and why."""
    checked, refused = [], []
    for path in paths:
        try:
            if not path.is_file():
                refused.append(f"“{path.name}”不存在或不是文件")
                continue
            size = path.stat().st_size
            with path.open("rb"):
                pass  # readable: refused now rather than half-way through storing
        except OSError as exc:
            refused.append(f"无法读取“{path.name}”：{exc.strerror or exc}")
            continue
        problem = evidence_file_problem(path.name, size)
        if problem:
            refused.append(problem)
        else:
            checked.append((path, size))
    if refused:
        others = len(paths) - len(refused)
        tail = f"所选的其余 {others} 个文件也未添加，请去掉上述文件后重新添加。" if others else "未添加。"
        raise UserError("以下文件不能作为证据材料：\n" + "\n".join(refused) + f"\n{tail}")
    return checked


def add_files(db: Database, actor: Actor, inspection_id: int, paths: Iterable[str | os.PathLike],
              note: str = "", progress: Progress = NO_PROGRESS) -> list[EvidenceFile]:
    """Store the chosen files with the inspection, all in one transaction (a refused file stores none)."""
    require(actor, Role.CLERK)
    paths = [Path(p) for p in paths]
    if not paths:
        raise UserError("请选择要添加的文件。")
    checked = _checked(paths)
    with db.session() as session:
        inspection = session.get(Inspection, inspection_id)
        if inspection is None:
            raise UserError("该检查记录已不存在，请刷新后重试。")
        problem = evidence_adding_problem(inspection.status)
        if problem:
            raise UserError(problem)
        added = []
        now = datetime.now().replace(microsecond=0)
        for n, (path, size) in enumerate(checked):
            progress.step(n, len(checked), f"正在保存“{path.name}”（{size_text(size)}）…")
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise UserError(f"无法读取“{path.name}”：{exc.strerror or exc}。未添加任何文件。") from exc
            problem = evidence_file_problem(path.name, len(data))  # changed since it was checked
            if problem:
                raise UserError(f"{problem}。未添加任何文件。")
            row = InspectionAttachment(inspection_id=inspection_id, file_name=path.name[:255], size=len(data),
                                       sha256=hashlib.sha256(data).hexdigest(), content=data, note=note.strip(),
                                       added_by=actor.username, added_at=now)
            session.add(row)
            session.flush()
            audit.record(session, actor, "添加证据材料", "inspection", inspection_id,
                         {"文件": row.file_name, "大小": row.size, "SHA-256": row.sha256})
            added.append(row.id)
            session.expunge(row)  # the bytes are written: let them go before reading the next file
            del data, row
        progress.step(len(checked), len(checked), "正在写入数据库…")
        return _rows(session, InspectionAttachment.id.in_(added))


def attach_file(db: Database, actor: Actor, inspection_id: int, path: str | os.PathLike,
                note: str = "") -> EvidenceFile:
    """One file (≤ 20 MB); a larger, empty or unreadable one is refused and nothing is stored."""
    return add_files(db, actor, inspection_id, [path], note)[0]


def file_bytes(db: Database, file_id: int) -> bytes:
    with db.session() as session:
        data = session.scalar(select(InspectionAttachment.content).where(InspectionAttachment.id == file_id))
    if data is None:
        raise UserError("该证据材料已不存在（可能已被删除），请刷新后重试。")
    return data


def save_copy(db: Database, file_id: int, target: str | os.PathLike) -> Path:
    """Write a copy of the stored file to ``target``."""
    target = Path(target)
    data = file_bytes(db, file_id)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise UserError(f"无法保存到“{target}”：{exc.strerror or exc}") from exc
    return target


def copy_for_viewing(db: Database, file_id: int) -> Path:
    """A copy in a fresh folder of the program's own, under the file's name, for the system's viewer."""
    with db.session() as session:
        name = session.scalar(select(InspectionAttachment.file_name).where(InspectionAttachment.id == file_id))
    if name is None:
        raise UserError("该证据材料已不存在（可能已被删除），请刷新后重试。")
    return save_copy(db, file_id, preview_dir() / safe_filename(name))


def removal_problem(evidence: EvidenceFile, status: str, actor: Actor) -> str:
    """Why ``actor`` may not remove this file ("" when they may): the same rule ``remove_file`` enforces."""
    if not actor.has(Role.CLERK):
        return "只有经办人才能删除证据材料。"
    return evidence_removal_problem(status, evidence.added_by, actor.username, evidence.added_by_name)


def remove_file(db: Database, actor: Actor, file_id: int, reason: str) -> EvidenceFile:
    """Remove a file added by mistake: by who added it, while the result may still be changed, audited."""
    require(actor, Role.CLERK)
    reason = reason.strip()
    if not reason:
        raise UserError("删除证据材料须填写原因（如：选错了文件）。")
    with db.session() as session:
        found = _rows(session, InspectionAttachment.id == file_id)
        if not found:
            raise UserError("该证据材料已不存在（可能已被删除），请刷新后重试。")
        evidence = found[0]
        # FOR UPDATE (PostgreSQL): a 提交审核 racing from another PC waits, or is seen, before the rule is applied
        status = session.scalar(select(Inspection.status).where(Inspection.id == evidence.inspection_id)
                                .with_for_update())
        problem = evidence_removal_problem(status, evidence.added_by, actor.username, evidence.added_by_name)
        if problem:
            raise UserError(problem)
        session.execute(delete(InspectionAttachment).where(InspectionAttachment.id == file_id))
        audit.record(session, actor, "删除证据材料", "inspection", evidence.inspection_id,
                     {"文件": evidence.file_name, "大小": evidence.size, "SHA-256": evidence.sha256,
                      "添加人": evidence.added_by_name, "添加时间": evidence.added_at, "原因": reason})
        return evidence
