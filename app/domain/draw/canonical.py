"""Canonical input files (protocol §2) from the plain inputs of a draw.

Ids: trimmed, NFC, upper-cased, NFC again; no space or control character inside.  Texts (names,
strata, departments, reasons): control characters become spaces, trimmed, NFC.  Trimming removes
the Unicode control (Cc) and separator (Z*) characters at both ends.

The subject column is the hot path of a 500,000-row draw, so ids and names are transformed in one
C-level pass over the text joined with LF.  That is exact: LF never composes, never changes case
and never occurs inside a value on the batch path (a value containing LF, or any value the batch
finds invalid, sends the whole column through the per-value path, which reports the culprit).
"""

from __future__ import annotations

import re
import unicodedata
from operator import lt

from .models import DrawInputs, InspectorConflict, SubjectConflict
from .protocol import MAX_WEIGHT, VERSION, DrawError, DrawRefusal, Inputs, canonical_json, check_params, parse_attempts

# Trimmed at both ends: the Cc (control) and Z* (separator) characters.  Never inside an id.
_EDGE = "".join(map(chr, [*range(0x21), *range(0x7F, 0xA1), 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                          0x202F, 0x205F, 0x3000]))
_ID_BAD = re.compile("[" + re.escape(_EDGE) + "]")
_ID_BAD_LF = re.compile("[" + re.escape(_EDGE.replace("\n", "")) + "]")  # for LF-joined columns
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_LF = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_LEADING = re.compile("\n[" + re.escape(_EDGE.replace("\n", "")) + "]")  # a value starting with one
_ASCII_ID_BYTES = bytes(range(0x21, 0x7F)) + b"\n"  # what an ASCII id column may hold, LF-joined


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def canonical_id(raw, what: str = "标识") -> str:
    """Trim, NFC, upper-case, NFC; refused when empty or with a space or control character inside."""
    if not isinstance(raw, str):
        raise DrawRefusal(f"{what}必须是文本：{raw!r}")
    value = _nfc(_nfc(raw.strip(_EDGE)).upper())
    if not value or _ID_BAD.search(value):
        raise DrawRefusal(f"{what}“{raw}”为空或含有空格、控制字符，请在名录中更正。")
    return value


def canonical_text(raw, what: str = "文字", required: bool = False) -> str:
    """Control characters to spaces, trim, NFC."""
    if not isinstance(raw, str):
        raise DrawRefusal(f"{what}必须是文本：{raw!r}")
    value = _nfc(_CONTROL.sub(" ", raw).strip(_EDGE))
    if required and not value:
        raise DrawRefusal(f"{what}不能为空。")
    return value


def _needs_work(joined: str) -> bool:
    """An LF-joined column holding a control character or a value that needs trimming.
    (Searching the reversed column finds trailing edge characters far faster than a pattern.)"""
    return bool(joined[:1] in _EDGE or joined[-1:] in _EDGE or _CONTROL_LF.search(joined)
                or _LEADING.search(joined) or _LEADING.search(joined[::-1]))


def _column(values: list, per_value, ids: bool) -> tuple:
    """(per_value over a column, the results joined with LF), by one pass over the LF-joined column
    when that is exact: no value needs trimming or holds a control character (see above)."""
    try:
        raw = "\n".join(values)  # TypeError when a value is not text: the per-value path says which
    except TypeError:
        raw = None
    if values and raw is not None:
        if ids and raw.isascii() and not raw.encode().translate(None, _ASCII_ID_BYTES):
            out = raw.upper()  # printable ASCII and LF only: nothing to trim, already NFC
        elif _needs_work(raw):
            out = None
        else:
            out = _nfc(_nfc(raw).upper()) if ids else _nfc(raw)
            if ids and _ID_BAD_LF.search(out):
                out = None
        if out is not None and ids and (not out or "\n\n" in out or out[0] == "\n" or out[-1] == "\n"):
            out = None  # an empty id: the per-value path names it
        if out is not None and out.count("\n") == len(values) - 1:
            # Ids come back as fresh strings, side by side in memory: sorting-checking 500,000 of
            # them then costs a fifth of what it costs on the scattered originals.
            return (out.split("\n") if ids or out != raw else values), out
    values = [per_value(v) for v in values]
    return values, "\n".join(values)


def _tsv(rows) -> bytes:
    lines = sorted(map("\t".join, rows))
    return ("\n".join(lines) + "\n").encode() if lines else b""


def _lines(text: str, count: int) -> bytes:
    """A column file: the LF-joined values plus the final LF (no values: no bytes)."""
    return (text + "\n").encode() if count else b""


def _subjects(inputs: DrawInputs):
    """({column file name: bytes}, exclusions.tsv, columns ids/strata/weights/names of the eligible subjects).

    The four files are built from whole columns, never line by line: at 500,000 subjects that is
    what keeps canonicalisation and commitment within a few hashes per subject (see the benchmark).
    """
    table = inputs.subjects
    if not len(table):
        raise DrawRefusal("没有符合条件的检查对象，无法抽取。")
    ids, ids_text = _column(list(table.ids), lambda v: canonical_id(v, "检查对象标识"), ids=True)
    names, names_text = _column(list(table.names), lambda v: canonical_text(v, "检查对象名称"), ids=False)
    labels = {s: canonical_text(s, "分层名称", required=True) for s in set(table.strata)}
    strata = list(map(labels.__getitem__, table.strata))  # one shared string per label: cheap to group
    weights = [1] * len(ids) if table.weights is None else list(table.weights)
    bad = [w for w in set(weights) if type(w) is not int or not 1 <= w <= MAX_WEIGHT]
    if bad:
        raise DrawRefusal(f"权重必须是 1–{MAX_WEIGHT} 的整数，发现 {bad[0]!r}。")
    reasons = {}
    for e in inputs.exclusions:
        key = canonical_id(e.id, "排除对象标识")
        name, why = reasons.get(key, (canonical_text(e.name, "排除对象名称"), set()))
        why.add(canonical_text(e.reason, f"排除“{key}”的原因", required=True))
        reasons[key] = (name, why)
    keep = None
    if reasons and not reasons.keys().isdisjoint(ids):
        keep = [k for k, i in enumerate(ids) if i not in reasons]
        if not keep:
            raise DrawRefusal("排除后没有符合条件的检查对象，无法抽取。")
    # Records in database order (strictly increasing ids) need neither the sort nor a second check.
    unsorted = not all(map(lt, ids, ids[1:]))
    if unsorted:
        keep = sorted(keep if keep is not None else range(len(ids)), key=ids.__getitem__)
    if keep is not None:
        ids, strata, weights, names = (list(map(col.__getitem__, keep)) for col in (ids, strata, weights, names))
        ids_text, names_text = "\n".join(ids), "\n".join(names)
    if unsorted and not all(map(lt, ids, ids[1:])):
        twice = next(a for a, b in zip(ids, ids[1:]) if a == b)
        raise DrawRefusal(f"检查对象标识“{twice}”重复出现，请先在名录中合并或更正。")
    n = len(ids)
    all_one = max(weights) == 1
    files = {"subject_ids.txt": _lines(ids_text, n), "subject_strata.txt": _lines("\n".join(strata), n),
             "subject_weights.txt": b"1\n" * n if all_one else _lines("\n".join(map(str, weights)), n),
             "subject_names.txt": _lines(names_text, n)}
    exclusions = _tsv((i, "；".join(sorted(why)), name) for i, (name, why) in reasons.items())
    return files, exclusions, (ids, strata, weights, names)


def _inspectors(inputs: DrawInputs) -> bytes:
    rows, seen = [], set()
    for p in inputs.inspectors:
        iid = canonical_id(p.id, "执法证号")
        if iid in seen:
            raise DrawRefusal(f"执法证号“{iid}”重复出现。")
        seen.add(iid)
        cap = p.load_cap
        if cap is not None and (type(cap) is not int or cap < 1):
            raise DrawRefusal(f"检查人员“{p.name}”的工作量上限必须是正整数。")
        rows.append((iid, canonical_text(p.department, "部门", required=True), "1" if p.leader else "0",
                     "" if cap is None else str(cap), canonical_text(p.unavailable, "不可抽取原因"),
                     canonical_text(p.name, "检查人员姓名")))
    return _tsv(rows)


def _conflicts(inputs: DrawInputs) -> bytes:
    rows = set()
    for c in inputs.conflicts:
        if isinstance(c, SubjectConflict):
            rows.add(("IS", canonical_id(c.inspector, "执法证号"), canonical_id(c.subject, "检查对象标识")))
        elif isinstance(c, InspectorConflict):
            a, b = sorted((canonical_id(c.first, "执法证号"), canonical_id(c.second, "执法证号")))
            if a == b:
                raise DrawRefusal(f"回避关系不能是同一人“{a}”。")
            rows.add(("II", a, b))
        else:
            raise DrawRefusal(f"无法识别的回避关系：{c!r}")
    return _tsv(rows)


def _params(inputs: DrawInputs) -> dict:
    p = inputs.parameters
    quotas = {}
    for label, quota in p.quotas.items():
        key = canonical_text(label, "分层名称", required=True)
        if key in quotas:
            raise DrawRefusal(f"分层“{key}”的抽取数量设定了两次。")
        try:
            quotas[key] = quota.to_json()
        except (ValueError, TypeError, AttributeError):
            raise DrawRefusal(f"分层“{key}”的抽取数量必须是个数或比例之一。") from None
    depts = sorted({canonical_text(d, "联合抽查部门", required=True) for d in p.departments})
    return check_params({"version": VERSION, "task": canonical_text(p.task, "任务名称"), "quotas": quotas,
                         "alternates": p.alternates, "team_size": p.team_size, "mode": p.mode,
                         "teams": p.teams, "departments": depts})


def _attempts(inputs: DrawInputs) -> bytes:
    rows = [(a.started, canonical_text(a.holder, "经办人", required=True), a.stage, a.commitment.lower(),
             a.abandoned, canonical_text(a.abandoned_by, "放弃人", required=True),
             canonical_text(a.reason, "放弃原因", required=True)) for a in inputs.attempts]
    data = _tsv(rows)
    try:
        parse_attempts(data)
    except DrawError as exc:
        raise DrawRefusal(f"此前放弃的抽取记录不完整：{exc}") from None
    return data


def canonical_files(inputs: DrawInputs):
    """({file name: canonical bytes}, the same inputs parsed) — built from the columns, not re-parsed."""
    params = _params(inputs)
    files, exclusions, columns = _subjects(inputs)
    files.update({"exclusions.tsv": exclusions, "inspectors.tsv": _inspectors(inputs),
                  "conflicts.tsv": _conflicts(inputs), "params.json": canonical_json(params),
                  "attempts.tsv": _attempts(inputs)})
    return files, Inputs(files, subjects=columns)
