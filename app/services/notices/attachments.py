"""Evidence files (photos, scans) attached to an inspection, kept in the database for every PC."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.db.models import Inspection, InspectionAttachment
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.notices import MAX_ATTACHMENT_BYTES
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import UserError


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    inspection_id: int
    file_name: str
    size: int
    sha256: str
    added_by: str
    added_at: datetime

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024 / 1024:.1f} MB" if self.size >= 1024 * 1024 else f"{max(1, self.size // 1024)} KB"


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def attach_file(db: Database, actor: Actor, inspection_id: int, path: str | os.PathLike, note: str = "") -> AttachmentRow:
    """Attach one file (≤ 20 MB); a larger or unreadable file is refused and nothing is stored."""
    require(actor, Role.CLERK)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise UserError(f"文件“{path.name}”有 {_size_text(size)}，超过每个文件 20 MB 的上限，未添加。"
                            "请压缩照片或分页扫描后再添加。")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取文件“{path.name}”：{exc.strerror or exc}") from exc
    if not data:
        raise UserError(f"文件“{path.name}”是空的，未添加。")
    with db.session() as session:
        inspection = session.get(Inspection, inspection_id)
        if inspection is None:
            raise UserError("该检查记录已不存在，请刷新后重试。")
        row = InspectionAttachment(inspection_id=inspection_id, file_name=path.name[:255], size=len(data),
                                   sha256=hashlib.sha256(data).hexdigest(), content=data, note=note.strip(),
                                   added_by=actor.username, added_at=datetime.now().replace(microsecond=0))
        session.add(row)
        session.flush()
        audit.record(session, actor, "添加证据材料", "inspection", inspection_id,
                     {"文件": row.file_name, "大小": len(data), "SHA-256": row.sha256})
        return AttachmentRow(row.id, inspection_id, row.file_name, row.size, row.sha256, row.added_by, row.added_at)


def list_attachments(db: Database, inspection_ids: list[int]) -> list[AttachmentRow]:
    with db.session() as session:
        rows = session.scalars(select(InspectionAttachment).where(InspectionAttachment.inspection_id.in_(inspection_ids))
                               .order_by(InspectionAttachment.inspection_id, InspectionAttachment.id)).all()
        return [AttachmentRow(r.id, r.inspection_id, r.file_name, r.size, r.sha256, r.added_by, r.added_at)
                for r in rows]


def attachment_bytes(db: Database, attachment_id: int) -> bytes:
    with db.session() as session:
        data = session.scalar(select(InspectionAttachment.content).where(InspectionAttachment.id == attachment_id))
    if data is None:
        raise UserError("该证据材料已不存在，请刷新后重试。")
    return data
