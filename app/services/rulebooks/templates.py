"""文书模板: which template is in force, the office's own copies, trying one out, print preview.

Templates the office edits live in the user's data folder (``data_dir()/forms``),
never inside the installed program; the originals stay in ``forms/``.  Qt-free:
the GUI opens the returned paths with the system's WPS or Word.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app import config
from app.db.session import Database
from app.documents import DOCUMENT_KINDS, RenderCancelled, TemplateProblem, TemplateStore, get_kind, load_form, to_pdf
from app.documents.fields import CHOICES, LIST, NUMBER, PARAGRAPHS, QR, DocumentKind, Field
from app.documents.rulebook_text import rulebook_defaults
from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.accounts import require
from app.services.errors import Cancelled, UserError
from app.services.progress import NO_PROGRESS, Progress
from app.services.errors import check_output_path

CUSTOMISED, DEFAULT = "已修改", "默认"
FIELD_GUIDE = "模板字段说明.txt"


def user_forms_dir() -> Path:
    return config.data_dir() / "forms"


def template_store() -> TemplateStore:
    return TemplateStore(user_forms_dir())


@dataclass(frozen=True)
class TemplateRow:
    kind: str
    title: str
    filename: str
    description: str
    status: str  # 已修改 / 默认
    path: Path  # the template in force

    @property
    def customised(self) -> bool:
        return self.status == CUSTOMISED


def list_templates(store: TemplateStore | None = None) -> list[TemplateRow]:
    store = store or template_store()
    return [TemplateRow(k.key, k.title, k.filename, k.description,
                        CUSTOMISED if store.is_customised(k) else DEFAULT, store.path_for(k))
            for k in DOCUMENT_KINDS.values()]


def _kind(kind: str | DocumentKind) -> DocumentKind:
    try:
        return get_kind(kind)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None


def open_user_copy(kind: str, store: TemplateStore | None = None) -> Path:
    """The office's editable copy (made from the original on first use), to open in WPS/Word."""
    store = store or template_store()
    try:
        path = store.open_user_copy(_kind(kind))
        guide = store.bundled_dir / FIELD_GUIDE
        if guide.is_file() and not (store.user_dir / FIELD_GUIDE).is_file():
            shutil.copyfile(guide, store.user_dir / FIELD_GUIDE)  # which placeholders may be used
        return path
    except OSError as exc:
        raise UserError(f"无法在 {store.user_dir} 中建立模板副本：{exc.strerror or exc}。"
                        "请检查该文件夹是否可写。") from exc


def restore_default(kind: str, db: Database, actor: Actor,
                    store: TemplateStore | None = None) -> Path | None:
    """Put the original back; the office's copy is kept as a dated .bak (its path is returned)."""
    require(actor, Role.ADMIN)
    store = store or template_store()
    k = _kind(kind)
    try:
        backup = store.restore_default(k)
    except PermissionError as exc:
        raise UserError(f"“{k.filename}”正在 WPS 或 Word 中打开，请关闭后再恢复默认。") from exc
    except OSError as exc:
        raise UserError(f"无法恢复默认模板：{exc.strerror or exc}") from exc
    if backup is not None:
        with db.session() as session:
            audit.record(session, actor, "恢复默认模板", "template", k.key,
                         {"模板": k.filename, "原副本另存为": backup.name})
    return backup


def check_template(kind: str, store: TemplateStore | None = None) -> None:
    """Raise UserError naming the part and tag when the template in force cannot be used."""
    store = store or template_store()
    try:
        store.load(_kind(kind))
    except TemplateProblem as exc:
        raise UserError(str(exc)) from exc


# --- trying a template out (docs render) -----------------------------------------------------
def resolve_template(template: str, kind: str | None = None,
                     store: TemplateStore | None = None) -> tuple[DocumentKind, Path]:
    """A kind code, title or file name → the template in force; or a path to an edited file."""
    store = store or template_store()
    path = Path(template)
    if path.suffix.lower() in (".docx", ".xlsx") and (path.is_file() or os.sep in template or "/" in template):
        if not path.is_file():
            raise UserError(f"找不到模板文件：{path}")
        if kind:
            return _kind(kind), path
        try:
            return get_kind(path.name), path
        except KeyError:
            pass
        try:
            return get_kind(path.stem), path
        except KeyError:
            names = "、".join(k.key for k in DOCUMENT_KINDS.values())
            raise UserError(f"无法从文件名“{path.name}”判断是哪种文书。请用 --kind 指定（{names}）。") from None
    k = _kind(kind or template)
    return k, store.path_for(k)


def read_data(path: str | os.PathLike) -> list[dict[str, Any]]:
    """A JSON object (one document) or a list of objects (a batch)."""
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UserError(f"无法读取数据文件 {path}：{exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UserError(f"数据文件 {Path(path).name} 不是有效的 JSON：{exc}") from exc
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(i, dict) for i in items):
        raise UserError("数据文件应是一个 JSON 对象（一份文书），或由对象组成的列表（一批文书）。")
    return items


def fill_form(load, items: list[dict[str, Any]], out: str | os.PathLike, progress: Progress = NO_PROGRESS) -> Path:
    """Load a template (``load()``) and fill it with items into one file; the clerk's errors in Chinese."""
    out = Path(out)
    try:
        form = load()
        check_output_path(out)
        form.render_batch(items, out, progress=lambda done, total: progress.step(done, total, "正在生成文书"),
                          cancelled=lambda: progress.cancelled)
    except TemplateProblem as exc:
        raise UserError(str(exc)) from exc
    except RenderCancelled as exc:
        raise Cancelled("已取消，未生成文件。") from exc
    except PermissionError as exc:
        raise UserError(f"无法写入 {out}：文件可能正在 WPS 或 Word 中打开，请关闭后重试。") from exc
    except OSError as exc:
        raise UserError(f"无法生成 {out.name}：{exc.strerror or exc}") from exc
    return out


def render(template: str, data: list[dict[str, Any]], out: str | os.PathLike, kind: str | None = None,
           store: TemplateStore | None = None, progress: Progress = NO_PROGRESS) -> int:
    """Fill a template with data (several items: one file, one document or worksheet each)."""
    k, path = resolve_template(template, kind, store)
    out = Path(out)
    wanted = ".xlsx" if k.is_xlsx else ".docx"
    if out.suffix.lower() != wanted:
        raise UserError(f"《{k.title}》是 {wanted} 模板，输出文件也应以 {wanted} 结尾：{out.name}")
    fill_form(lambda: load_form(k, path), data, out, progress)
    return len(data)


def render_from_json(template: str, data_path: str | os.PathLike, out: str | os.PathLike,
                     kind: str | None = None, store: TemplateStore | None = None) -> int:
    return render(template, read_data(data_path), out, kind, store)


# --- print preview --------------------------------------------------------------------------
def _sample(f: Field) -> Any:
    if f.type == LIST:
        return [{sub.name: _sample(sub) for sub in f.items}]
    if f.type == PARAGRAPHS:
        return [f"【{f.name}】"]
    if f.type == CHOICES:
        return []
    if f.type == NUMBER:
        today = date.today()
        return today.year if f.name.endswith("年") else today.month if f.name.endswith("月") \
            else today.day if f.name.endswith("日") else 1
    if f.type == QR:
        return "SSJ-PREVIEW"
    return f"【{f.name}】"


def sample_data(kind: str | DocumentKind) -> dict[str, Any]:
    """Data that shows where each field lands: 【字段名】 (the 细则 gets its default wording)."""
    k = _kind(kind)
    data = {f.name: _sample(f) for f in k.fields}
    if k.key == "rulebook":
        data.update(rulebook_defaults("【部门名称】"))
    return data


def preview_dir() -> Path:
    """A fresh folder for preview files (kept until the program's data folder is cleaned)."""
    base = config.data_dir() / "preview"
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="preview-", dir=base))


def render_sample(kind: str, out_dir: str | os.PathLike | None = None,
                  store: TemplateStore | None = None) -> Path:
    """The template in force filled with sample data (to look at it)."""
    k = _kind(kind)
    out = Path(out_dir or preview_dir()) / f"{k.title}（样例）{'.xlsx' if k.is_xlsx else '.docx'}"
    render(k.key, [sample_data(k)], out, store=store)
    return out


@dataclass(frozen=True)
class Preview:
    document: Path  # the .docx/.xlsx shown
    pdf: Path
    pages: list[Path]  # PNG per page; empty when pdftoppm is missing (open the PDF instead)


def print_preview(path: str | os.PathLike, resolution: int = 80,
                  progress: Progress = NO_PROGRESS) -> Preview | None:
    """PDF (LibreOffice) and PNG pages (pdftoppm); None when LibreOffice is not installed.

    With None the GUI opens the document in the system's WPS or Word instead.
    """
    src = Path(path)
    progress.step(0, 0, "正在转换为 PDF…")
    pdf = to_pdf(src, src.parent / "pdf")
    if pdf is None:
        return None
    pages: list[Path] = []
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        progress.step(0, 0, "正在生成预览页…")
        folder = pdf.parent / f"{pdf.stem}-pages"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        try:
            subprocess.run([pdftoppm, "-png", "-r", str(resolution), str(pdf), str(folder / "page")],
                           check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        except (OSError, subprocess.SubprocessError):
            pages = []
        else:
            pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    progress.step(1, 1, "")
    return Preview(src, pdf, pages)


def preview_template(kind: str, store: TemplateStore | None = None,
                     progress: Progress = NO_PROGRESS) -> tuple[Path, Preview | None]:
    """Render the sample and preview it: (document, preview or None without LibreOffice)."""
    document = render_sample(kind, store=store)
    return document, print_preview(document, progress=progress)
