"""双随机抽取协议 ssj-draw-v3: the single implementation of the draw protocol.

The engine (app.domain.draw) imports this module, and the very same file is copied into every
verification package as verify.py, so a witness can re-derive a draw with nothing but the Python
standard library (3.8 or later):

    python3 verify.py [PACKAGE_FOLDER_OR_ZIP]

docs/draw-protocol.md states the same rules to the byte.  The file is longer than our other
modules on purpose: the verifier must stay one self-contained file.  Strings compare by code
point, which is the same order as comparing their UTF-8 bytes, so sorting str sorts bytes.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import heapq
import json
import re
import struct
import sys
import unicodedata
import zipfile
from contextlib import contextmanager
from datetime import datetime
from itertools import accumulate
from operator import itemgetter, lt, methodcaller
from pathlib import Path

VERSION = "ssj-draw-v3"
PACKAGE_FORMAT = "ssj-draw-package-v3"
# The eligible subjects are four column files, line k of each describing the same subject.
SUBJECT_FILES = ("subject_ids.txt", "subject_strata.txt", "subject_weights.txt", "subject_names.txt")
INPUT_FILES = SUBJECT_FILES + ("exclusions.tsv", "inspectors.tsv", "conflicts.tsv", "params.json", "attempts.tsv")
# The steps an earlier, abandoned attempt may have reached (witnessed: only under ssj-draw-v2).
ATTEMPT_STAGES = ("prepared", "witnessed")
_TIME = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
_HEX64 = re.compile("[0-9a-f]{64}")
MIN_WITNESS_DIGITS = 20
MAX_WEIGHT = 1000
PER_SUBJECT, TEAMS_FIRST = "per_subject", "teams_first"
LEADERS = ("leaders",)  # the group of leader-eligible inspectors (a tuple: never a department name)
# Cc and Z* code points: never inside an id; Cc never anywhere except the TAB and LF separators.
_ID_BAD = re.compile("[\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_ID_BAD_LF = re.compile("[\x00-\x09\x0b-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_TEXT_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_VALUE_BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # a column file: no TAB either
_PRINTABLE_ASCII_LF = bytes(range(0x21, 0x7F)) + b"\n"  # what an ASCII id file may hold
_NONE = frozenset()
_TWO_64 = 1 << 64
_FOUR_U64 = struct.Struct(">4Q")  # a stream block as four unsigned 64-bit big-endian integers


class DrawError(Exception):
    """A draw that cannot go on; the message is Chinese and says what to do next."""


class DrawRefusal(DrawError):
    """Inputs or a request the protocol refuses (too few witness digits, quota too large, ...)."""


@contextmanager
def no_gc():
    """Pauses the cyclic garbage collector during a step.

    A draw builds millions of small acyclic objects next to 500,000 live records; every automatic
    collection would walk all of them, which costs more than the step itself.  Reference counting
    still frees everything; nothing here makes cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lp(data: bytes) -> bytes:
    """Length prefix: 4-byte big-endian length, then the bytes."""
    return len(data).to_bytes(4, "big") + data


def digest(*fields: bytes) -> bytes:
    return hashlib.sha256(b"".join(lp(f) for f in fields)).digest()


def canonical_json(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def secret_commitment(secret: bytes) -> bytes:
    return digest(VERSION.encode(), b"SECRET", secret)


def compute_seed(hashes: dict, witnesses, secret: bytes, beacon: bytes) -> bytes:
    fields = [VERSION.encode(), b"SEED"] + [hashes[name] for name in INPUT_FILES]
    fields += [str(len(witnesses)).encode()] + [w.encode() for w in witnesses]
    return digest(*fields, secret, beacon)


def check_witnesses(witnesses) -> None:
    if any(not w or not (w.isascii() and w.isdigit()) for w in witnesses):
        raise DrawRefusal("见证人随机数只能由数字 0–9 组成，且每组不能为空，请重新输入。")
    total = sum(len(w) for w in witnesses)
    if total < MIN_WITNESS_DIGITS:
        raise DrawRefusal(f"见证人随机数共 {total} 位，至少需要 {MIN_WITNESS_DIGITS} 位，请补充后再揭晓。")


def parse_beacon(text: str) -> bytes:
    """The optional public beacon: hex digits, even length; "" when there is none."""
    if len(text) % 2 or not re.fullmatch("[0-9a-f]*", text):
        raise DrawRefusal("公开信标值必须是偶数位的小写十六进制数（0–9、a–f），没有信标时留空。")
    return bytes.fromhex(text)


# ---------------------------------------------------------------- canonical input files
def _decoded(data: bytes, name: str) -> str:
    """An input file's text: UTF-8, no BOM, an LF after every line (no lines: no bytes)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DrawError(f"{name} 不是有效的 UTF-8 文本。") from None
    if data and (not text.endswith("\n") or text.startswith("\ufeff")):
        raise DrawError(f"{name} 必须以换行结尾且不带 BOM。")
    return text


def _columns(data: bytes, name: str, width: int) -> list:
    """The width columns of a canonical TSV file (every line exactly width fields)."""
    if not data:
        return [[] for _ in range(width)]
    text = _decoded(data, name)
    if _TEXT_BAD.search(text) or not unicodedata.is_normalized("NFC", text):
        raise DrawError(f"{name} 含有控制字符或不是 NFC 规范化文本。")
    if set(map(methodcaller("count", "\t"), text[:-1].split("\n"))) != {width - 1}:
        raise DrawError(f"{name} 每行必须恰好有 {width} 个字段（制表符分隔）。")
    fields = text[:-1].replace("\t", "\n").split("\n")
    return [fields[k::width] for k in range(width)]


def _rows(data: bytes, name: str, width: int) -> list:
    return list(zip(*_columns(data, name, width)))


def _check_ids(ids, name: str) -> None:
    if not all(map(lt, ids, ids[1:])):
        raise DrawError(f"{name} 未按标识的 UTF-8 字节升序排列，或标识重复。")
    if ids and ("" in ids or _ID_BAD_LF.search("\n".join(ids))):
        raise DrawError(f"{name} 中有空标识，或标识含空白/控制字符。")


def _decimal(text: str, low: int, high: int, what: str) -> int:
    if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text[0] == "0"):
        raise DrawError(f"{what}“{text}”不是规范的十进制整数。")
    value = int(text)
    if not low <= value <= high:
        raise DrawError(f"{what}“{text}”超出范围 {low}–{high}。")
    return value


class Lines:
    """Line k of a column file's text, found without splitting the text into half a million strings:
    of the names, a verifier needs only the drawn subjects'.  The count of LF in every 512-character
    block locates the block holding line k's LF; a few finds within it, the line."""

    BLOCK = 512

    def __init__(self, text: str):
        self.text = text
        counts = [text.count("\n", a, a + self.BLOCK) for a in range(0, len(text), self.BLOCK)]
        self.before = list(accumulate(counts, initial=0))  # LFs in the blocks before block b

    def __len__(self) -> int:
        return self.before[-1]

    def __getitem__(self, k: int) -> str:
        if not 0 <= k < len(self):
            raise IndexError(k)
        block = bisect.bisect_right(self.before, k) - 1
        pos = block * self.BLOCK
        for _ in range(k - self.before[block]):
            pos = self.text.index("\n", pos) + 1
        end = self.text.index("\n", pos)
        return self.text[self.text.rfind("\n", 0, end) + 1:end]


def _text(data: bytes, name: str, bad) -> str:
    """A column file's text, checked: UTF-8, no BOM, LF after every line, no bad character, NFC."""
    text = _decoded(data, name)
    if not text:
        return text
    if text.isascii():  # ids and weights: printable ASCII and LF only, found by one translate
        clean = not data.translate(None, _PRINTABLE_ASCII_LF) if bad is _ID_BAD_LF else not _VALUE_BAD.search(text)
    else:
        clean = not bad.search(text) and unicodedata.is_normalized("NFC", text)
    if not clean:
        raise DrawError(f"{name} 含有制表符、控制字符或空白字符，或不是 NFC 规范化文本。")
    return text


def _values(data: bytes, name: str, bad) -> list:
    """The values of a column file: one per line, every line ending in LF (no lines: no bytes)."""
    return _text(data, name, bad)[:-1].split("\n") if data else []


def _labels(data: bytes) -> list:
    """subject_strata.txt: half a million lines but a handful of labels, so each distinct label is
    checked once (every character but the LF separators belongs to one of them)."""
    name = "subject_strata.txt"
    text = _decoded(data, name)
    strata = text[:-1].split("\n") if text else []
    for label in set(strata):
        if not label or _VALUE_BAD.search(label) or not unicodedata.is_normalized("NFC", label):
            raise DrawError(f"{name} 中有空的分层名称，或名称含有制表符、控制字符，或不是 NFC 规范化文本。")
    return strata


def parse_subjects(files: dict):
    """The four subject column files → columns (ids, strata, weights, names), all the same length."""
    ids = _values(files["subject_ids.txt"], "subject_ids.txt", _ID_BAD_LF)
    if "" in ids or not all(map(lt, ids, ids[1:])):
        raise DrawError("subject_ids.txt 中有空标识，或未按 UTF-8 字节严格升序排列（标识重复）。")
    strata = _labels(files["subject_strata.txt"])
    raw = files["subject_weights.txt"]
    if raw == b"1\n" * len(ids):  # every weight 1: the usual file, checked without splitting it
        weights = [1] * len(ids)
    else:
        texts = _values(raw, "subject_weights.txt", _VALUE_BAD)
        ints = {w: _decimal(w, 1, MAX_WEIGHT, "权重") for w in set(texts)}
        weights = [ints[w] for w in texts]
    names = Lines(_text(files["subject_names.txt"], "subject_names.txt", _VALUE_BAD))
    if not len(ids) == len(strata) == len(weights) == len(names):
        raise DrawError("四个检查对象文件（标识、分层、权重、名称）的行数不一致。")
    return ids, strata, weights, names


def parse_exclusions(data: bytes) -> list:
    """exclusions.tsv → [(id, reason, name)]."""
    rows = _rows(data, "exclusions.tsv", 3)
    _check_ids([r[0] for r in rows], "exclusions.tsv")
    if any(not r[1] for r in rows):
        raise DrawError("exclusions.tsv 中每个排除对象都必须写明原因。")
    return rows


def parse_inspectors(data: bytes) -> list:
    """inspectors.tsv → [(id, department, leader, cap or None, unavailable reason, name)]."""
    out = []
    for iid, dept, leader, cap, away, name in _rows(data, "inspectors.tsv", 6):
        if leader not in ("0", "1") or not dept:
            raise DrawError(f"inspectors.tsv 中“{iid}”的部门或组长资格字段不规范。")
        out.append((iid, dept, leader == "1", _decimal(cap, 1, 10**9, "工作量上限") if cap else None, away, name))
    _check_ids([r[0] for r in out], "inspectors.tsv")
    return out


def parse_conflicts(data: bytes) -> list:
    """conflicts.tsv → sorted unique lines (kind, a, b): IS = inspector–subject, II = a < b."""
    rows = _rows(data, "conflicts.tsv", 3)
    lines = ["\t".join(r) for r in rows]
    if not all(map(lt, lines, lines[1:])):
        raise DrawError("conflicts.tsv 未按 UTF-8 字节升序排列，或有重复行。")
    for kind, a, b in rows:
        if kind not in ("IS", "II") or not a or not b or (kind == "II" and not a < b):
            raise DrawError(f"conflicts.tsv 中“{kind} {a} {b}”不规范。")
    return rows


def _moment(text: str) -> bool:
    """A local time to the second, YYYY-MM-DDTHH:MM:SS, that exists on the calendar."""
    try:
        return bool(_TIME.fullmatch(text)) and bool(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return False


def parse_attempts(data: bytes) -> list:
    """attempts.tsv → [(started, holder, stage, commitment, abandoned, by, reason)]: the task's earlier,
    abandoned attempts, whole lines in UTF-8 byte order (so by start time), commitments unique."""
    rows = _rows(data, "attempts.tsv", 7)
    lines = ["\t".join(r) for r in rows]
    if not all(map(lt, lines, lines[1:])):
        raise DrawError("attempts.tsv 未按 UTF-8 字节升序排列，或有重复行。")
    for started, holder, stage, commitment, abandoned, by, reason in rows:
        if not all(map(_moment, (started, abandoned))) or abandoned < started or not (holder and by and reason):
            raise DrawError(f"attempts.tsv 中开始于“{started}”的尝试的时间、经办人或放弃原因不规范。")
        if stage not in ATTEMPT_STAGES or not _HEX64.fullmatch(commitment):
            raise DrawError(f"attempts.tsv 中开始于“{started}”的尝试的阶段或承诺不规范。")
    if len({r[3] for r in rows}) != len(rows):
        raise DrawError("attempts.tsv 中有两次尝试的程序密钥承诺相同。")
    return rows


def check_params(params) -> dict:
    """Validates the parameter object (params.json) and returns it."""
    keys = {"version", "task", "quotas", "alternates", "team_size", "mode", "teams", "departments"}
    if not isinstance(params, dict) or set(params) != keys or params["version"] != VERSION:
        raise DrawError(f"params.json 的字段不完整，或算法版本不是 {VERSION}。")
    ints = [params["alternates"], params["team_size"], params["teams"]]
    if any(type(v) is not int or v < 0 for v in ints) or not isinstance(params["task"], str):
        raise DrawError("params.json 中的数量必须是非负整数。")
    if params["team_size"] < 2:
        raise DrawRefusal("每组检查人员不能少于 2 人（法律要求至少两名执法人员）。")
    depts = params["departments"]
    if not isinstance(depts, list) or depts != sorted(set(depts)) or "" in depts:
        raise DrawError("params.json 中的联合抽查部门必须是不重复、已排序的名称。")
    if len(depts) > params["team_size"]:
        raise DrawRefusal(f"联合抽查有 {len(depts)} 个部门，每组人数不能少于部门数。")
    if params["mode"] not in (PER_SUBJECT, TEAMS_FIRST) or (params["teams"] > 0) != (params["mode"] == TEAMS_FIRST):
        raise DrawError("params.json 的匹配方式与检查组数不一致（先抽检查组时组数须大于 0）。")
    quotas = params["quotas"]
    if not isinstance(quotas, dict) or not quotas or "" in quotas:
        raise DrawRefusal("没有设定各分层的抽取数量。")
    for label, q in quotas.items():
        count, ratio = q.get("count") if isinstance(q, dict) else None, q.get("ratio") if isinstance(q, dict) else None
        good_count = set(q) == {"count"} and type(count) is int and count >= 0
        good_ratio = set(q) == {"ratio"} and isinstance(ratio, list) and len(ratio) == 2 and all(
            type(v) is int for v in ratio) and 0 <= ratio[0] <= ratio[1] and ratio[1] > 0
        if not (good_count or good_ratio):
            raise DrawRefusal(f"分层“{label}”的抽取数量不规范：应为整数个数或比例 p/q（0 ≤ p ≤ q）。")
    return params


def quota_counts(params: dict, strata_sizes: dict) -> dict:
    """Stratum → number to draw; a ratio p/q over N eligible rounds up: (N·p + q − 1) // q."""
    counts = {}
    for label in sorted(set(strata_sizes) | set(params["quotas"])):
        size, q = strata_sizes.get(label, 0), params["quotas"].get(label)
        if q is None:
            raise DrawRefusal(f"分层“{label}”有 {size} 个符合条件的对象，但没有设定抽取数量。")
        n = q["count"] if "count" in q else (size * q["ratio"][0] + q["ratio"][1] - 1) // q["ratio"][1]
        if n > size:
            raise DrawRefusal(f"分层“{label}”只有 {size} 个符合条件的对象，不能抽取 {n} 个。")
        counts[label] = n
    if not strata_sizes:
        raise DrawRefusal("没有符合条件的检查对象，无法抽取。")
    if not any(counts.values()):
        raise DrawRefusal("各分层的抽取数量合计为零。")
    return counts


class Inputs:
    """The canonical inputs of a draw, parsed, with the SHA-256 of each file."""

    def __init__(self, files: dict, subjects=None, hashes=None):
        """subjects (the columns) spare the engine re-parsing the files it just wrote; hashes, when
        given, are the files' SHA-256 digests already computed."""
        self.files = files
        self.hashes = hashes or {name: hashlib.sha256(files[name]).digest() for name in INPUT_FILES}
        self.subjects = subjects if subjects is not None else parse_subjects(files)
        self.weighted = max(self.subjects[2], default=1) > 1
        self.exclusions = parse_exclusions(files["exclusions.tsv"])
        self.inspectors = parse_inspectors(files["inspectors.tsv"])
        self.conflicts = parse_conflicts(files["conflicts.tsv"])
        self.attempts = parse_attempts(files["attempts.tsv"])
        try:
            self.params = json.loads(files["params.json"].decode("utf-8"))
        except ValueError:
            raise DrawError("params.json 不是有效的 JSON。") from None
        if canonical_json(check_params(self.params)) != files["params.json"]:
            raise DrawError("params.json 不是规范格式（键排序、无空白、UTF-8、末尾换行）。")
        if self.exclusions and not {r[0] for r in self.exclusions}.isdisjoint(self.subjects[0]):
            raise DrawError("同一对象既在可抽取名单中又在排除名单中。")
        self.groups = {label: [] for label in set(self.subjects[1])}  # stratum → row numbers
        add = {label: rows.append for label, rows in self.groups.items()}
        for row, label in enumerate(self.subjects[1]):
            add[label](row)
        self.sizes = {label: len(rows) for label, rows in self.groups.items()}
        self.counts = quota_counts(self.params, self.sizes)


# ---------------------------------------------------------------- random numbers and subject selection
class Stream:
    """Uniform integers from SHA-256 in counter mode (§7).

    Block j = HL(seed, *domain, dec(j)) for j = 0, 1, …; each block is read as four 64-bit
    big-endian integers u, in order.  below(m) takes the next u until u < 2⁶⁴ − (2⁶⁴ mod m) and
    returns u mod m: exactly uniform, no floating point.
    """

    def __init__(self, seed: bytes, *domain: bytes):
        self._prefix = lp(seed) + b"".join(lp(d) for d in domain)
        self._blocks = 0
        self._pending = []  # the unread integers of the current block, the next one last

    def _next(self) -> int:
        if not self._pending:
            block = hashlib.sha256(self._prefix + lp(str(self._blocks).encode())).digest()
            self._blocks += 1
            self._pending = list(_FOUR_U64.unpack(block))[::-1]
        return self._pending.pop()

    def mark(self) -> tuple:
        return self._blocks, list(self._pending)

    def rewind(self, mark: tuple) -> None:
        """Back to a mark: a look at the next number that the protocol does not count as a draw."""
        self._blocks, self._pending = mark[0], list(mark[1])

    def below(self, m: int) -> int:
        if not 1 <= m < 1 << 64:
            raise DrawError(f"随机数范围 {m} 超出协议允许的范围。")
        limit = _TWO_64 - _TWO_64 % m
        u = self._pending.pop() if self._pending else self._next()
        while u >= limit:
            u = self._next()
        return u % m


class StratumOrder:
    """A stratum's subjects in draw order, drawn one by one as far as asked (§7).

    Each step draws x = below(S), S the slots (weights) of the subjects not yet drawn, and takes
    the subject holding slot x when those subjects' slots are laid out in file order.  A Fenwick
    tree over the weights finds it in O(log N); unweighted, the tree is implicit (node i holds
    i & −i) and only what was taken out is stored, so a 500,000-subject stratum costs nothing
    before its first draw.
    """

    def __init__(self, rows: list, weights, stream: Stream):
        self.rows, self.stream, n = rows, stream, len(rows)
        self.weights = None if weights is None else [weights[r] for r in rows]
        self.tree = None
        if self.weights is not None:
            tree = [0] + self.weights
            for i in range(1, n + 1):
                parent = i + (i & -i)
                if parent <= n:
                    tree[parent] += tree[i]
            self.tree = tree
        self.slots = n if self.weights is None else sum(self.weights)
        self.taken = {}  # Fenwick node → weight taken out of it
        self.high = 1 << (n.bit_length() - 1) if n else 0
        self.drawn = []  # (position in the stratum, x, slots before the step)

    def extend(self, count: int) -> None:
        n, tree, taken = len(self.rows), self.tree, self.taken
        while len(self.drawn) < count and self.slots:
            slots = self.slots
            rest = x = self.stream.below(slots)
            pos, step = 0, self.high
            while step:  # the largest pos whose first pos subjects hold at most x slots
                node = pos + step
                if node <= n:
                    held = (tree[node] if tree else node & -node) - taken.get(node, 0)
                    if held <= rest:
                        pos, rest = node, rest - held
                step >>= 1
            weight = self.weights[pos] if self.weights else 1
            node = pos + 1
            while node <= n:
                taken[node] = taken.get(node, 0) + weight
                node += node & -node
            self.slots -= weight
            self.drawn.append((pos, x, slots))


class Ranking:
    """Each stratum's subjects in draw order, drawn lazily from the stratum's own stream."""

    def __init__(self, inputs: Inputs, seed: bytes):
        self.inputs, self.seed, self._orders, self._entries = inputs, seed, {}, {}

    def top(self, label: str, n: int) -> list:
        """The first n of the stratum (fewer when it has fewer) as (rank, id, name, weight, x, slots)."""
        order = self._orders.get(label)
        if order is None:
            weights = self.inputs.subjects[2] if self.inputs.weighted else None
            stream = Stream(self.seed, b"S", label.encode())
            order = self._orders[label] = StratumOrder(self.inputs.groups.get(label, []), weights, stream)
            self._entries[label] = []
        order.extend(n)
        entries = self._entries[label]
        if len(entries) < len(order.drawn):
            ids, _, weights, names = self.inputs.subjects
            rows = order.rows
            entries += [(rank, ids[rows[pos]], names[rows[pos]], weights[rows[pos]], x, slots)
                        for rank, (pos, x, slots) in enumerate(order.drawn[len(entries):], start=len(entries) + 1)]
        return entries[:n]

    def selection(self) -> list:
        """Per stratum in label order: the drawn subjects, then the listed 候补, with 1-based ranks."""
        out = []
        for label, count in self.inputs.counts.items():
            entries = [{"rank": rank, "id": i, "name": name, "weight": w, "slot": x, "slots": slots}
                       for rank, i, name, w, x, slots in self.top(label, count + self.inputs.params["alternates"])]
            out.append({"stratum": label, "population": self.inputs.sizes.get(label, 0), "quota": count,
                        "drawn": entries[:count], "alternates": entries[count:]})
        return out


# ---------------------------------------------------------------- inspector teams
class Matcher:
    """Teams for the drawn subjects, and the replacement log replayed on them, in one mutable state."""

    def __init__(self, inputs: Inputs, ranking: Ranking):
        params = inputs.params
        self.inputs, self.ranking, self.seed = inputs, ranking, ranking.seed
        self.size, self.depts, self.first = params["team_size"], params["departments"], params["mode"] == TEAMS_FIRST
        self.info = {r[0]: r for r in inputs.inspectors}
        self.caps = {r[0]: r[3] for r in inputs.inspectors if r[3] is not None}
        pool = [r[0] for r in inputs.inspectors if not r[4] and (not self.depts or r[1] in self.depts)]
        self.stream, self.picks = Stream(self.seed, b"I"), 0
        self.load, self.removed = dict.fromkeys(pool, 0), set()
        self.leaders = {i for i in pool if self.info[i][2]}
        # The groups a pick may want: everyone (None), the leader-eligible (LEADERS), each department.
        self.groups_of = {i: [None] + ([LEADERS] if i in self.leaders else [])
                          + ([self.info[i][1]] if self.depts else []) for i in pool}
        # load → group → (its inspectors at that load in file order, the same as a set)
        self.levels = {}
        for i in pool:
            for group in self.groups_of[i]:
                ordered, members = self.levels.setdefault(0, {}).setdefault(group, ([], set()))
                ordered.append(i)
                members.add(i)
        self.against_subject, self.against_inspector = {}, {}
        for kind, a, b in inputs.conflicts:
            if kind == "IS":
                self.against_subject.setdefault(b, set()).add(a)
            else:
                self.against_inspector.setdefault(a, set()).add(b)
                self.against_inspector.setdefault(b, set()).add(a)
        self.teams, self.subjects, self.cursor, self.queue = {}, [], dict(inputs.counts), []

    # -- load levels: per subject, an inspector's load is its number of subjects; teams first,
    #    an inspector in a team is out of the candidates (level None) and free ones sit at 0.
    def _relevel(self, inspector: str, load) -> None:
        old = self.load[inspector]
        for group in self.groups_of[inspector]:
            ordered, members = self.levels.get(old, {}).get(group, ((), ()))
            if inspector in members:
                ordered.remove(inspector)
                members.discard(inspector)
                if not members:
                    del self.levels[old][group]
                    if not self.levels[old]:
                        del self.levels[old]
            if load is not None and inspector not in self.removed:
                ordered, members = self.levels.setdefault(load, {}).setdefault(group, ([], set()))
                bisect.insort(ordered, inspector)
                members.add(inspector)
        self.load[inspector] = load

    def _join(self, inspector: str) -> None:
        self._relevel(inspector, None if self.first else self.load[inspector] + 1)

    def _leave(self, inspector: str) -> None:
        self._relevel(inspector, 0 if self.first else self.load[inspector] - 1)

    def _fill(self, label: str, team: dict, subjects: list, excluded) -> bool:
        """Completes team (id → pick number): a leader, then each missing department, then anyone.

        Each pick wants a group (the leader-eligible, a department, or everyone) and goes to the
        lowest load level holding an acceptable candidate of it (not excluded, no 回避 with the
        subjects or the members, within its cap, keeping the team completable); there it draws
        i = below(size) from the inspector stream until the group's i-th inspector at that load,
        in file order, is acceptable.
        """
        skip = set(excluded).union(team, *(self.against_subject.get(s, ()) for s in subjects))
        need, against = len(subjects), self.against_inspector

        def feasible(c: str) -> bool:
            """After adding c, the open seats can still hold a leader and every missing department."""
            depts = {self.info[m][1] for m in team} | {self.info[c][1]}
            leaderless = c not in self.leaders and not any(m in self.leaders for m in team)
            return max(sum(d not in depts for d in self.depts), leaderless) <= self.size - len(team) - 1

        def acceptable(c: str, load: int) -> bool:
            return (c not in skip and against.get(c, _NONE).isdisjoint(team) and (not self.depts or feasible(c))
                    and (not self.caps or load + need <= self.caps.get(c, load + need)))

        def pick(group) -> bool:
            stream = self.stream
            for load in sorted(self.levels):
                ordered, members = self.levels[load].get(group, ((), ()))
                if not ordered:
                    continue
                mark = stream.mark()
                chosen = ordered[stream.below(len(ordered))]
                if not acceptable(chosen, load):
                    # Only a level holding an acceptable candidate draws from the stream at all.
                    if not any(acceptable(c, load) for c in members):
                        stream.rewind(mark)
                        continue
                    while not acceptable(chosen, load):
                        chosen = ordered[stream.below(len(ordered))]
                self.picks += 1
                team[chosen] = self.picks
                skip.add(chosen)
                return True
            return False

        done = any(m in self.leaders for m in team) or pick(LEADERS)
        for dept in self.depts:
            done = done and (any(self.info[m][1] == dept for m in team) or pick(dept))
        while done and len(team) < self.size:
            done = pick(None)
        return done

    def _team_for(self, subject: str) -> str:
        team = {}
        if not self._fill(subject, team, [subject], ()):
            return ""
        self.teams[subject] = {"members": team, "subjects": [subject], "excluded": set()}
        for i in team:
            self._join(i)
        return subject

    def _assign(self, subject: str) -> str:
        """Teams first: the compatible team with fewest subjects, then the lowest team number."""
        against, held, chosen = self.against_subject.get(subject, set()), [], ""
        while self.queue and not chosen:
            count, number, label = heapq.heappop(self.queue)
            members = self.teams[label]["members"]
            if against.intersection(members) or any(count + 1 > self.caps.get(m, count + 1) for m in members):
                held.append((count, number, label))
                continue
            self.teams[label]["subjects"].append(subject)
            chosen = label
            held.append((count + 1, number, label))
        for item in held:
            heapq.heappush(self.queue, item)
        return chosen

    def _requeue(self) -> None:
        self.queue = [(len(t["subjects"]), int(label[1:]), label) for label, t in self.teams.items()]
        heapq.heapify(self.queue)

    def initial(self) -> dict:
        drawn = []  # draw order: by rank in the stratum, then by stratum label
        for label, count in self.inputs.counts.items():
            drawn += [(rank, label, i, name) for rank, i, name, *_ in self.ranking.top(label, count)]
        self.subjects = [{"id": i, "name": n, "stratum": s, "rank": r, "team": ""} for r, s, i, n in sorted(drawn)]
        if self.first:
            for number in range(1, self.inputs.params["teams"] + 1):
                team = {}
                if self._fill(f"G{number}", team, [], ()):
                    self.teams[f"G{number}"] = {"members": team, "subjects": [], "excluded": set()}
                    for i in team:
                        self._join(i)
            self._requeue()
        for entry in self.subjects:
            entry["team"] = self._assign(entry["id"]) if self.first else self._team_for(entry["id"])
        return self.snapshot()

    def _labels(self) -> list:
        if self.first:
            return sorted(self.teams, key=lambda label: int(label[1:]))
        return [s["team"] for s in self.subjects if s["team"]]

    def snapshot(self) -> dict:
        teams = []
        for label in self._labels():
            team = self.teams[label]
            ranked = sorted(team["members"].items(), key=itemgetter(1))  # in the order they were drawn
            teams.append({"label": label, "subjects": list(team["subjects"]),
                          "leader": next(i for i, _ in ranked if self.info[i][2]),
                          "members": [{"id": i, "name": self.info[i][5], "department": self.info[i][1],
                                       "pick": n} for i, n in ranked]})
        return {"subjects": [dict(s) for s in self.subjects], "teams": teams}

    def apply(self, request: dict) -> dict:
        """Replays one replacement request {kind, target, scope, reason}; returns the full log entry."""
        kind, target, scope, reason = (request.get(k) for k in ("kind", "target", "scope", "reason"))
        if not all(isinstance(v, str) for v in (kind, target, scope, reason)) or not reason.strip():
            raise DrawRefusal("替换必须写明对象或人员以及原因。")
        entry = {"kind": kind, "target": target, "scope": scope, "reason": reason}
        if kind == "subject" and not scope:
            entry.update(self._replace_subject(target))
        elif kind == "inspector":
            entry["changes"] = self._replace_inspector(target, scope)
        else:
            raise DrawRefusal("替换类型只能是 subject（检查对象）或 inspector（检查人员）。")
        return entry

    def _replace_subject(self, subject: str) -> dict:
        pos = next((k for k, s in enumerate(self.subjects) if s["id"] == subject), None)
        if pos is None:
            raise DrawRefusal(f"对象“{subject}”不在当前抽中名单中，无法替换。")
        old, stratum = self.subjects[pos], self.subjects[pos]["stratum"]
        rank = self.cursor[stratum]
        ranked = self.ranking.top(stratum, rank + 1)
        if len(ranked) <= rank:
            raise DrawRefusal(f"分层“{stratum}”已没有候补对象，无法替换。")
        self.cursor[stratum] = rank + 1
        if old["team"] and self.first:
            self.teams[old["team"]]["subjects"].remove(subject)
            self._requeue()
        elif old["team"]:
            for i in self.teams.pop(subject)["members"]:
                self._leave(i)
        number, new, name = ranked[rank][:3]
        self.subjects[pos] = entry = {"id": new, "name": name, "stratum": stratum, "rank": number, "team": ""}
        entry["team"] = self._assign(new) if self.first else self._team_for(new)
        return {"replacement": new, "rank": number, "team": entry["team"]}

    def _replace_inspector(self, inspector: str, scope: str) -> list:
        labels = [L for L in self._labels() if inspector in self.teams[L]["members"] and scope in ("", L)]
        if not labels:
            where = f"检查组“{scope}”" if scope else "任何检查组"
            raise DrawRefusal(f"检查人员“{inspector}”不在{where}中，无法替换。")
        if not scope:
            self.removed.add(inspector)
        changes = []
        for label in labels:
            team = self.teams[label]
            del team["members"][inspector]
            team["excluded"].add(inspector)
            self._leave(inspector)
            before = set(team["members"])
            if not self._fill(label, team["members"], team["subjects"], team["excluded"]):
                raise DrawRefusal(f"检查组“{label}”找不到符合条件的替换人员（回避、请假、工作量上限），无法替换。")
            for new in [i for i in team["members"] if i not in before]:
                self._join(new)
                changes.append({"team": label, "replacement": new, "pick": team["members"][new]})
        return changes


def replay(inputs: Inputs, ranking: Ranking, requests) -> tuple:
    """(initial result, replacement log, final result) — the same steps the engine takes."""
    matcher = Matcher(inputs, ranking)
    initial = matcher.initial()
    log = [matcher.apply(r) for r in requests]
    return initial, log, matcher.snapshot() if log else initial


# ---------------------------------------------------------------- the package and its verification
ATTEMPT_KEYS = ("started", "holder", "stage", "secret_commitment", "abandoned", "abandoned_by", "reason")


def assemble(inputs: Inputs, witnesses, beacon: str, secret: bytes, seed: bytes, selection, initial, log, final,
             verifier: bytes) -> dict:
    """draw.json as an object; the engine and the verifier both build it here."""
    return {
        "format": PACKAGE_FORMAT, "version": VERSION, "task": inputs.params["task"],
        "inputs": {n: {"sha256": inputs.hashes[n].hex(), "bytes": len(inputs.files[n])} for n in INPUT_FILES},
        "params": inputs.params, "secret_commitment": secret_commitment(secret).hex(),
        "witnesses": list(witnesses), "beacon": beacon, "secret": secret.hex(), "seed": seed.hex(),
        "selection": selection, "initial": initial if log else None, "replacements": log, "final": final,
        "verify_py_sha256": hashlib.sha256(verifier).hexdigest(),
        "attempts": [dict(zip(ATTEMPT_KEYS, row)) for row in inputs.attempts],
    }


PACKAGE_NAMES = ("draw.json", "verify.py") + tuple("inputs/" + n for n in INPUT_FILES)


def read_package(path) -> dict:
    """{'draw.json': bytes, 'verify.py': bytes, 'inputs/…': bytes} from a package folder or zip.

    Other files in the package are not read: they are listed under the key "" (their names)."""
    path = Path(path)
    try:
        if path.is_file():
            with zipfile.ZipFile(path) as archive:
                present = {n for n in archive.namelist() if not n.endswith("/")}
                files = {n: archive.read(n) for n in PACKAGE_NAMES if n in present}
        else:
            present = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
            files = {n: path.joinpath(n).read_bytes() for n in PACKAGE_NAMES if path.joinpath(n).is_file()}
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise DrawError(f"无法读取验证包 {path}：{exc}") from None
    files[""] = sorted(present - set(PACKAGE_NAMES))
    return files


def _difference(expected, actual, where: str):
    """The path of the first place where actual differs from expected, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in expected or key not in actual:
                return f"{where}.{key}"
            found = _difference(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for k, (e, a) in enumerate(zip(expected, actual)):
            found = _difference(e, a, f"{where}[{k}]")
            if found:
                return found
        return f"{where}[{min(len(expected), len(actual))}]" if len(expected) != len(actual) else None
    return None if expected == actual and type(expected) is type(actual) else where


def _lookup(obj, where: str):
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", where):
        try:
            obj = obj[part[0]] if part[0] else obj[int(part[1])]
        except (KeyError, IndexError, TypeError):
            return "（缺失）"
    text = json.dumps(obj, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "…"


def check_package(files: dict, report: list) -> None:
    """Re-derives the whole draw from the package files; raises DrawError at the first mismatch."""
    for name in PACKAGE_NAMES:
        if name not in files:
            raise DrawError(f"验证包缺少文件 {name}。")
    if files.get(""):  # extra files are never read: a package is what the listed files say
        report.append("未核验的其他文件（不属于验证包，已忽略）：" + "、".join(files[""]))
    raw = files["draw.json"]
    try:
        record = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise DrawError("draw.json 不是有效的 UTF-8 JSON 文件，已被改动或损坏。") from None
    if not isinstance(record, dict) or record.get("format") != PACKAGE_FORMAT or record.get("version") != VERSION:
        raise DrawError(f"draw.json 不是 {PACKAGE_FORMAT} 格式或算法版本不是 {VERSION}。")
    verifier = hashlib.sha256(files["verify.py"]).hexdigest()
    if verifier != record.get("verify_py_sha256"):
        raise DrawError("包内 verify.py 的 SHA-256 与 draw.json 记录不符，验证程序已被改动。")
    report.append(f"verify.py  SHA-256 {verifier}（须与抽取记录和协议文档公布的值一致）")
    recorded = record.get("inputs") if isinstance(record.get("inputs"), dict) else {}
    hashes = {}
    for name in INPUT_FILES:
        hashes[name] = hashlib.sha256(files["inputs/" + name]).digest()
        actual, claimed = hashes[name].hex(), (recorded.get(name) or {}).get("sha256")
        if actual != claimed:
            raise DrawError(f"输入文件 inputs/{name} 的 SHA-256 为 {actual}，与 draw.json 记录的承诺 {claimed} 不符："
                            "输入文件或 draw.json 已被改动，请与抽取记录上打印的承诺核对。")
        report.append(f"inputs/{name}  SHA-256 {actual}")
    inputs = Inputs({n: files["inputs/" + n] for n in INPUT_FILES}, hashes=hashes)
    try:
        witnesses, beacon, secret = list(record["witnesses"]), record["beacon"], bytes.fromhex(record["secret"])
        requests = [{k: r.get(k) for k in ("kind", "target", "scope", "reason")} for r in record["replacements"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise DrawError("draw.json 缺少见证人随机数、程序密钥或替换记录，或其格式不正确。") from None
    if not all(isinstance(w, str) for w in witnesses) or not isinstance(beacon, str):
        raise DrawError("draw.json 中的见证人随机数或公开信标格式不正确。")
    try:  # the witness-step refusals (§11) are re-checked: a package cannot carry what the program refuses
        check_witnesses(witnesses)
        beacon_bytes = parse_beacon(beacon)
    except DrawRefusal as exc:
        raise DrawError(f"draw.json 中的见证人随机数或公开信标不合规：{exc}") from None
    if len(secret) != 32:
        raise DrawError("draw.json 中的程序密钥不是 256 位（32 字节）。")
    if secret_commitment(secret).hex() in {row[3] for row in inputs.attempts}:
        raise DrawError("attempts.tsv 中的早先尝试与本次抽取的程序密钥承诺相同。")
    seed = compute_seed(inputs.hashes, witnesses, secret, beacon_bytes)
    report.append(f"程序密钥承诺 {secret_commitment(secret).hex()}")
    report.append(f"种子 {seed.hex()}")
    ranking = Ranking(inputs, seed)
    selection = ranking.selection()  # first: it ranks the most of each stratum, the teams reuse that
    try:
        initial, log, final = replay(inputs, ranking, requests)
    except DrawRefusal as exc:
        raise DrawError(f"draw.json 中的替换记录无法按协议重放：{exc}") from None
    expected = assemble(inputs, witnesses, beacon, secret, seed, selection, initial, log, final, files["verify.py"])
    canonical = canonical_json(expected)
    if canonical != raw:  # byte equality is the strict check; the walk below only says where
        for key in ("secret_commitment", "seed", "params", "selection", "initial", "replacements", "final"):
            where = _difference(expected[key], record.get(key), key)
            if where:
                raise DrawError(f"draw.json 中 {where} 与重新计算的结果不符：记录为 {_lookup(record, '.' + where)}，"
                                f"应为 {_lookup(expected, '.' + where)}。")
        where = _difference(expected, record, "draw")
        if where:
            raise DrawError(f"draw.json 中 {where[5:]} 与重新计算的结果不符。")
        at = next((k for k, (a, b) in enumerate(zip(canonical, raw)) if a != b), min(len(canonical), len(raw)))
        raise DrawError(f"draw.json 第 {at} 字节处与规范排版不符，文件已被改动。")
    report.append(f"抽中对象 {len(final['subjects'])} 个，检查组 {len(final['teams'])} 个，替换记录 {len(log)} 条，"
                  f"此前放弃的尝试 {len(inputs.attempts)} 次")


def verify(path) -> tuple:
    """(passed, report lines in Chinese ending with 通过 or 不通过：…) for a package folder or zip."""
    report = [f"验证包：{path}（协议 {VERSION}）"]
    try:
        with no_gc():
            check_package(read_package(path), report)
    except DrawError as exc:
        return False, report + [f"不通过：{exc}"]
    except Exception as exc:  # a damaged package must still end in 不通过, never in a traceback
        return False, report + [f"不通过：验证包内容异常，无法完成验证（{type(exc).__name__}: {exc}）。"]
    return True, report + ["通过"]


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    passed, report = verify(Path(args[0]) if args else Path(__file__).resolve().parent)
    print("\n".join(report))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
