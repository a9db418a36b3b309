"""随机抽取过程记录: the paper the witnesses sign, and the verification package it refers to.

    path = render_record(db, draw_id, out_docx, place="局三楼会议室", supervisor="张纪检")
    paths, result = export_verified_package(db, draw_id, folder)

The record is the ``draw_record`` template in force (the office may have edited
it) filled from the draw as committed: the input hashes and the program's
commitment, the witnesses and their digits, the revealed secret and seed, the
drawn subjects with their 候补, the teams, a QR code and the signature lines.
Replacements made after the draw are printed on an addendum page, each with its
reason, so the record and the package always tell the same story.  Qt-free.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.db.models import Certificate, Draw, DrawStep, Inspector, Subject
from app.db.session import Database
from app.domain.accounts import Actor
from app.documents import load_form
from app.domain.draw import VERSION, PackagePaths, VerificationResult, verify_package
from app.services.system import audit
from app.services.draw import ceremony as draws
from app.services.draw.ceremony import DrawView
from app.services.errors import UserError
from app.services.draw.inputs import TaskDrawSpec, task_draw_spec
from app.services.notices.record_number import draw_record_number
from app.services.planning.population import ALL_STRATUM
from app.services.progress import NO_PROGRESS, Progress
from app.services.rulebooks.templates import fill_form, template_store

INPUT_NAMES = {
    "subject_ids.txt": "可抽取对象的代码（信用代码或注册号）",
    "subject_strata.txt": "可抽取对象的分层",
    "subject_weights.txt": "可抽取对象的权重",
    "subject_names.txt": "可抽取对象的名称",
    "exclusions.tsv": "不参与抽取的对象及原因",
    "inspectors.tsv": "执法检查人员名单",
    "conflicts.tsv": "回避关系",
    "params.json": "抽取参数（数量、比例、检查组）",
    "attempts.tsv": "此前放弃的抽取尝试",
    "secret_commitment": "程序承诺",
    "verify_py_sha256": "验证程序 verify.py",
}
NOT_INPUTS = ("secret_commitment", "verify_py_sha256")  # commitments printed on their own rows
STAGE_NAMES = {"prepared": "准备", "witnessed": "见证人已录入（旧版）"}
CHECK_NOTE = ("核验方法：把验证包（文件夹或 zip 文件）复制到任一装有 Python 3 的电脑，运行 "
              "python3 verify.py 验证包，显示“通过”即表明本记录的种子、抽中对象、候补顺序和检查组均由"
              "公布的输入与见证人随机数字按 {version} 协议复算得出；并核对其显示的输入哈希与本记录第一部分一致，"
              "verify.py 的 SHA-256 与本记录及协议文档（docs/draw-protocol.md）公布的值一致。")
AUDIT_NOTE = ("审计日志链头（打印时）：{head}。日后运行 python -m app audit verify --head {head}，"
              "即可证明此前的操作记录未被删除或改写。")


def input_label(name: str) -> str:
    return INPUT_NAMES.get(name, name)


def team_names(view: DrawView) -> dict[str, str]:
    """Team label → 第N组, in result order (per_subject labels are subject codes)."""
    teams = (view.result or {}).get("teams", [])
    return {t["label"]: f"第{n}组" for n, t in enumerate(teams, start=1)}


def drawn_in_order(view: DrawView) -> list[dict]:
    """The drawn subjects in draw order (rank in the stratum, then stratum), before or after teams are matched."""
    if view.result:
        return list(view.result["subjects"])
    drawn = [dict(e, stratum=s["stratum"]) for s in view.selection for e in s["drawn"]]
    return sorted(drawn, key=lambda e: (e["rank"], e["stratum"]))


def quota_text(view: DrawView) -> str:
    if not view.selection:
        return ""
    total = sum(len(s["drawn"]) for s in view.selection)
    parts = [f"{s['stratum']} {len(s['drawn'])} 户（共 {s['population']} 户）" for s in view.selection
             if s["stratum"] != ALL_STRATUM]
    return f"{total} 户" + (f"：{'；'.join(parts)}" if parts else f"（可抽取 {view.population} 户）")


def qr_text(view: DrawView) -> str:
    """What the record's QR code holds: enough to find and check the package."""
    public = view.public
    return "|".join([VERSION, view.task_number, f"seed={public.get('seed', '')}",
                     f"commit={public['commitments']['secret_commitment']}",
                     f"subjects={public['commitments']['subject_ids.txt']}"])


@dataclass(frozen=True)
class _Names:
    subjects: dict[str, str]
    inspectors: dict[str, str]
    started_at: datetime | None
    revealed_at: datetime | None
    confirmed_by: tuple[str, ...] = ()  # the 监督员 who confirmed each replacement, in order


def _names(db: Database, view: DrawView) -> _Names:
    codes = {r["target"] for r in view.replacements if r["kind"] == "subject"}
    certs = {r["target"] for r in view.replacements if r["kind"] == "inspector"}
    certs |= {c["replacement"] for r in view.replacements for c in r.get("changes", [])}
    with db.session() as session:
        row = session.get(Draw, view.id)
        subjects = {}
        if codes:
            for credit, reg, name in session.execute(select(Subject.credit_code, Subject.registration_no, Subject.name)
                                                     .where(Subject.credit_code.in_(codes)
                                                            | Subject.registration_no.in_(codes))):
                subjects[credit if credit in codes else reg] = name
        people = dict(session.execute(select(Certificate.number, Inspector.name).join(Inspector)
                                      .where(Certificate.number.in_(certs))).all()) if certs else {}
        confirmed = tuple(step.payload.get("监督员确认", "") for step in session.scalars(
            select(DrawStep).where(DrawStep.draw_id == view.id, DrawStep.step.in_(("替换对象", "替换人员")))
            .order_by(DrawStep.seq)))
        return _Names(subjects, people, row.started_at if row else None, row.revealed_at if row else None,
                      confirmed)


def record_context(view: DrawView, spec: TaskDrawSpec, *, place: str = "", supervisor: str = "",
                   clerk: str = "", department: str = "", names: _Names | None = None, audit_head: str = "",
                   number: str = "") -> dict:
    """The draw_record template's fields for a matched draw."""
    if view.result is None:
        raise UserError("抽取尚未完成匹配人员，还不能打印抽取过程记录。")
    public = view.public
    labels = team_names(view)
    subject_names = {s["id"]: s["name"] for s in view.result["subjects"]}
    if not department:
        department = spec.initiating_department
        others = [d for d in spec.departments if d != department]
        if others:
            department = f"{department}（联合抽查：{'、'.join(others)}）"
    when = (names.revealed_at or names.started_at) if names else None
    return {
        "编号": number,
        "部门名称": department,
        "任务名称": view.task_name,
        "任务编号": view.task_number,
        "抽查事项": "、".join(spec.item_names),
        "检查对象范围": spec.scope_text or "全部检查对象",
        "抽取数量": quota_text(view),
        "抽取时间": when or datetime.now(),
        "抽取地点": place,
        "算法版本": public["version"],
        "经办人": clerk or view.holder.split("@")[0],
        "监督人员": supervisor,
        "输入承诺": [{"名称": input_label(k), "哈希": v} for k, v in public["commitments"].items()
                 if k not in NOT_INPUTS],
        "程序承诺": public["commitments"]["secret_commitment"],
        "验证程序哈希": public["commitments"]["verify_py_sha256"],
        "此前尝试说明": f"共 {len(view.attempts)} 次，见下表" if view.attempts else "无",
        "此前尝试": attempt_rows(view),
        "见证人": [{"姓名": w.name, "单位": w.organisation, "随机数": w.digits} for w in view.witnesses],
        "程序秘密": public.get("secret", ""),
        "公开信标": public.get("beacon", ""),
        "最终种子": public.get("seed", ""),
        "抽中对象": [{"序号": n, "名称": s["name"], "代码": s["id"], "分层": s["stratum"],
                  "检查组": labels.get(s["team"], "未配组")}
                 for n, s in enumerate(view.result["subjects"], start=1)],
        "候补对象": [{"序号": n, "名称": f"{e['name']}（{s['stratum']}）" if s["stratum"] != ALL_STRATUM else e["name"],
                  "代码": e["id"]}
                 for s in view.selection for n, e in enumerate(s["alternates"], start=1)],
        "检查组": [{"组号": labels[t["label"]],
                 "组长": next((m["name"] for m in t["members"] if m["id"] == t["leader"]), ""),
                 "组员": "、".join(m["name"] for m in t["members"] if m["id"] != t["leader"]),
                 "检查对象": "、".join(subject_names.get(s, s) for s in t["subjects"])}
                for t in view.result["teams"]],
        "核验二维码": qr_text(view),
        "核验说明": CHECK_NOTE.format(version=public["version"])
                    + (AUDIT_NOTE.format(head=audit_head) if audit_head else ""),
    }


def attempt_rows(view: DrawView) -> list[dict]:
    """The task's earlier, abandoned attempts as this draw committed to them (attempts.tsv)."""
    return [{"序号": n, "开始": f"{a.started.replace('T', ' ')} {a.holder}", "步骤": STAGE_NAMES.get(a.stage, a.stage),
             "承诺": a.commitment, "放弃": f"{a.abandoned.replace('T', ' ')} {a.abandoned_by}：{a.reason}"}
            for n, a in enumerate(view.attempts, start=1)]


def replacement_rows(view: DrawView, names: _Names) -> list[list[str]]:
    """One row per replacement: 序号, 类型, 被替换, 替换为, 检查组, 原因."""
    labels = team_names(view)
    current = {s["id"]: s["name"] for s in (view.result or {}).get("subjects", [])}
    for s in view.selection:
        for e in s["drawn"] + s["alternates"]:
            current.setdefault(e["id"], e["name"])
    people = {m["id"]: m["name"] for t in (view.result or {}).get("teams", []) for m in t["members"]}
    people.update(names.inspectors)
    rows = []
    for n, r in enumerate(view.replacements, start=1):
        confirmer = names.confirmed_by[n - 1] if n <= len(names.confirmed_by) else ""
        reason = f"{r['reason']}（监督员 {confirmer} 确认）" if confirmer else r["reason"]
        if r["kind"] == "subject":
            gone = f"{names.subjects.get(r['target']) or current.get(r['target'], '')} {r['target']}".strip()
            new = f"{current.get(r['replacement'], '')} {r['replacement']}".strip()
            rows.append([str(n), "检查对象", gone, new, labels.get(r.get("team", ""), "—"), reason])
        else:
            gone = f"{people.get(r['target'], '')}（{r['target']}）"
            new = "；".join(f"{people.get(c['replacement'], '')}（{c['replacement']}）" for c in r.get("changes", []))
            teams = "、".join(labels.get(c["team"], c["team"]) for c in r.get("changes", []))
            rows.append([str(n), "检查人员", gone, new, teams or "—", reason])
    return rows


def _add_addendum(path: Path, view: DrawView, rows: list[list[str]]) -> None:
    """An addendum page after the record: each replacement with its reason, and signature lines."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm, Pt

    doc = Document(str(path))
    styles = {s.name for s in doc.styles}

    def paragraph(text: str, style: str | None = None, bold: bool = False, size: float | None = None):
        p = doc.add_paragraph(style=style if style in styles else None)
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        return p

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    paragraph("随机抽取过程记录（补充页）", bold=True, size=18).alignment = 1
    paragraph(f"任务：{view.task_number} {view.task_name}")
    paragraph("抽取结果揭示后，以下检查对象或检查人员按抽取协议依次递补（取本次抽取自身顺序中的下一个，"
              "不由任何人指定），原因如下：")
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid" if "Table Grid" in styles else table.style
    table.autofit = False
    widths = [Mm(w) for w in (10, 18, 44, 44, 16, 24)]

    def fill(cells, texts, column_widths) -> None:
        for cell, text, width in zip(cells, texts, column_widths):
            cell.width = width
            cell.text = text
            for p in cell.paragraphs:
                p.paragraph_format.first_line_indent = 0
                p.paragraph_format.left_indent = 0
                for run in p.runs:
                    run.font.size = Pt(11)

    fill(table.rows[0].cells, ["序号", "类型", "被替换", "替换为", "检查组", "原因"], widths)
    for row in rows:
        fill(table.add_row().cells, row, widths)
    paragraph("")
    paragraph("替换后的验证包同样可用 verify.py 复算（替换记录在 draw.json 的 replacements 中）。")
    signature = doc.add_table(rows=3, cols=3)
    signature.style = table.style
    signature.autofit = False
    sign_widths = [Mm(30), Mm(76), Mm(50)]
    fill(signature.rows[0].cells, ["身份", "签字", "日期"], sign_widths)
    for row, who in zip(signature.rows[1:], ["经办人", "监督人员"]):
        fill(row.cells, [who, "", "　年　月　日"], sign_widths)
        row.height = Mm(12)
    doc.save(str(path))


def render_record(db: Database, actor: Actor, draw_id: int, out: str | os.PathLike, *, place: str = "",
                  supervisor: str = "", clerk: str = "", store=None, progress: Progress = NO_PROGRESS) -> Path:
    """Fill the 抽取过程记录 for a matched draw into ``out`` (.docx), with the addendum page if needed.

    The first printing gives the record its number in the register (发文登记簿).
    """
    view = draws.get_draw(db, draw_id)
    if view.result is None:
        raise UserError("抽取尚未完成匹配人员，还不能打印抽取过程记录。")
    number = draw_record_number(db, actor, draw_id)
    spec = task_draw_spec(db, view.task_id)
    names = _names(db, view)
    with db.session() as session:
        head = audit.head(session)
    context = record_context(view, spec, place=place, supervisor=supervisor, clerk=clerk, names=names,
                             audit_head=head, number=number)
    store = store or template_store()
    out = fill_form(lambda: load_form("draw_record", store.path_for("draw_record")), [context], out, progress)
    if view.replacements:
        try:
            _add_addendum(out, view, replacement_rows(view, names))
        except OSError as exc:
            raise UserError(f"无法写入抽取过程记录的补充页：{exc.strerror or exc}。"
                            "文件可能正在 WPS 或 Word 中打开，请关闭后重试。") from exc
    return out


def package_folder(base: str | os.PathLike, view: DrawView) -> Path:
    """A new folder for a draw's package inside ``base`` (a chosen folder or USB stick)."""
    safe = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in view.task_number).strip(" .")
    folder = Path(base) / f"验证包-{safe or '抽取'}-{view.id}"
    if folder.exists() or folder.with_name(folder.name + ".zip").exists():
        folder = folder.with_name(f"{folder.name}-{datetime.now():%Y%m%d-%H%M%S}")
    return folder


def export_verified_package(db: Database, draw_id: int, folder: str | os.PathLike | None = None, *,
                            into: str | os.PathLike | None = None) -> tuple[PackagePaths, VerificationResult]:
    """Export the verification package and check it at once, as a witness would with verify.py.

    ``folder`` is the package folder itself; or ``into`` a chosen folder / USB stick, where a
    new folder named after the task is made.
    """
    if folder is None:
        folder = package_folder(into, draws.get_draw(db, draw_id))
    try:
        paths = draws.export_package(db, draw_id, folder)
    except OSError as exc:
        raise UserError(f"无法写入验证包到 {folder}：{exc.strerror or exc}。请检查 U 盘或文件夹是否可写。") from exc
    return paths, verify_package(paths.folder)
