"""The draw as a chain of states the service persists after every step (and resumes after a crash).

prepare → add_witnesses → reveal → select_subjects → match_teams → replace_subject / replace_inspector.
Each step returns a new DrawState; DrawState.to_dict()/from_dict() round-trip through JSON.
Until the reveal, only DrawState.public() may be shown: to_dict() holds the program's secret
unless the state was sealed() first (what the service stores before the reveal).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Optional, Tuple

from . import protocol
from .canonical import canonical_files, canonical_id, canonical_text
from .models import DrawInputs
from .protocol import INPUT_FILES, VERSION, DrawError, DrawRefusal

STAGES = ("prepared", "witnessed", "revealed", "selected", "matched")


class DrawStageError(DrawError):
    """A step called out of order, or a stored draw that no longer matches its commitments."""


def verifier_source() -> bytes:
    """verify.py: this very protocol module's source (a frozen build ships protocol.py as data)."""
    try:
        return Path(protocol.__file__).with_suffix(".py").read_bytes()
    except OSError:
        raise DrawError("找不到验证程序源文件 protocol.py，无法生成验证包；请重新安装本程序。") from None


@dataclass(frozen=True)
class DrawState:
    files: Mapping[str, bytes]  # canonical input files, committed by their SHA-256
    commitment: str  # C = HL(version, "SECRET", K), hex: shown before any witness digit exists
    verifier: str  # SHA-256 of the verify.py this program ships, hex: shown with the commitments
    secret: str = ""  # the program's 256-bit secret K, hex; "" while sealed away (see sealed())
    witnesses: Tuple[str, ...] = ()
    beacon: str = ""
    seed: str = ""
    selection: Tuple[dict, ...] = ()
    initial: Optional[dict] = None
    replacements: Tuple[dict, ...] = ()
    final: Optional[dict] = None
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def stage(self) -> str:
        done = [True, bool(self.witnesses), bool(self.seed), bool(self.selection), self.initial is not None]
        return STAGES[sum(done) - 1]

    @property
    def commitments(self) -> dict:
        """What is shown and printed before the witnesses contribute."""
        out = {name: hashlib.sha256(self.files[name]).hexdigest() for name in INPUT_FILES}
        out["secret_commitment"] = self.commitment
        out["verify_py_sha256"] = self.verifier
        return out

    def public(self) -> dict:
        """Everything that may be shown at this stage (the secret only once the seed is revealed)."""
        view = {"version": VERSION, "stage": self.stage, "commitments": self.commitments,
                "witnesses": list(self.witnesses), "beacon": self.beacon}
        if self.seed:
            view.update(secret=self.secret, seed=self.seed)
        return view

    def sealed(self) -> "DrawState":
        """The state without the secret: what may be stored where other PCs can read it before the reveal."""
        return self if self.seed else replace(self, secret="")

    def unsealed(self, secret: str) -> "DrawState":
        """The state with its secret back (from the PC that holds it); refused unless it matches C."""
        try:
            matches = protocol.secret_commitment(bytes.fromhex(secret)).hex() == self.commitment
        except (TypeError, ValueError):
            matches = False
        if not matches:
            raise DrawStageError("保存的程序密钥与抽取前公布的承诺不符，不能揭示；请联系管理员核查。")
        return replace(self, secret=secret)

    def to_dict(self) -> dict:
        return {"version": VERSION, "files": {n: self.files[n].decode() for n in INPUT_FILES},
                "commitments": self.commitments, "secret": self.secret, "witnesses": list(self.witnesses),
                "beacon": self.beacon, "seed": self.seed, "selection": list(self.selection),
                "initial": self.initial, "replacements": list(self.replacements), "final": self.final}

    @classmethod
    def from_dict(cls, data: dict) -> "DrawState":
        try:
            committed = data["commitments"]
            state = cls(files={n: data["files"][n].encode() for n in INPUT_FILES},
                        commitment=committed["secret_commitment"], verifier=committed["verify_py_sha256"],
                        secret=data["secret"], witnesses=tuple(data["witnesses"]), beacon=data["beacon"],
                        seed=data["seed"], selection=tuple(data["selection"]), initial=data["initial"],
                        replacements=tuple(data["replacements"]), final=data["final"])
            intact = data["version"] == VERSION and state.commitments == committed
            if intact and state.secret:
                intact = protocol.secret_commitment(bytes.fromhex(state.secret)).hex() == state.commitment
            if intact and state.seed:
                hashes = {n: bytes.fromhex(committed[n]) for n in INPUT_FILES}
                seed = protocol.compute_seed(hashes, state.witnesses, bytes.fromhex(state.secret),
                                             bytes.fromhex(state.beacon))
                intact = seed.hex() == state.seed
        except (KeyError, TypeError, ValueError, AttributeError):
            intact = False
        if not intact:
            raise DrawStageError("保存的抽取记录不完整或与抽取前公布的承诺不符，不能继续；请联系管理员核查。")
        return state

    def inputs(self) -> protocol.Inputs:
        if "inputs" not in self._memo:
            self._memo["inputs"] = protocol.Inputs(dict(self.files))
        return self._memo["inputs"]

    def ranking(self) -> protocol.Ranking:
        if self._memo.get("seed") != self.seed:
            self._memo.update(seed=self.seed, ranking=protocol.Ranking(self.inputs(), bytes.fromhex(self.seed)))
        return self._memo["ranking"]


def step(fn):
    """Runs a heavy step with the cyclic garbage collector paused (see protocol.no_gc)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        with protocol.no_gc():
            return fn(*args, **kwargs)
    return run


def require_stage(state: DrawState, stage: str, action: str) -> None:
    if state.stage != stage:
        raise DrawStageError(f"当前处于“{state.stage}”阶段，不能{action}（需要“{stage}”阶段）。")


def _check_supply(inputs: protocol.Inputs) -> None:
    """Refuses before any commitment when the inspectors cannot possibly staff the teams."""
    params, total = inputs.params, sum(inputs.counts.values())
    pool = [r for r in inputs.inspectors if not r[4] and (not params["departments"] or r[1] in params["departments"])]
    teams = params["teams"] or 1
    short = []
    if len(pool) < params["team_size"] * teams:
        short.append(f"可抽取人员 {len(pool)} 人，至少需要 {params['team_size'] * teams} 人")
    if sum(1 for r in pool if r[2]) < teams:
        short.append(f"可任组长的人员少于 {teams} 人")
    short += [f"部门“{d}”可抽取人员少于 {teams} 人" for d in params["departments"]
              if sum(1 for r in pool if r[1] == d) < teams]
    if not params["teams"] and sum(min(r[3] or total, total) for r in pool) < params["team_size"] * total:
        short.append(f"全部人员的工作量上限之和不足以完成 {total} 户 × {params['team_size']} 人")
    if short:
        raise DrawRefusal("符合条件的检查人员不足：" + "；".join(short) + "。请调整人员名录或抽取参数。")


@step
def prepare(inputs: DrawInputs, secret: Optional[bytes] = None) -> DrawState:
    """Canonical files, their commitments and the program's secret (generated with `secrets`)."""
    files, parsed = canonical_files(inputs)
    secret = secrets.token_bytes(32) if secret is None else secret
    if len(secret) != 32:
        raise DrawRefusal("程序密钥必须是 256 位（32 字节）。")
    _check_supply(parsed)
    return DrawState(files=files, commitment=protocol.secret_commitment(secret).hex(),
                     verifier=hashlib.sha256(verifier_source()).hexdigest(), secret=secret.hex(),
                     _memo={"inputs": parsed})


def add_witnesses(state: DrawState, witnesses, beacon: str = "") -> DrawState:
    """Locks in the witnesses' digit strings (≥ 20 digits in all) and the optional beacon (hex)."""
    require_stage(state, "prepared", "录入见证人随机数")
    witnesses = tuple(witnesses)
    if not all(isinstance(w, str) for w in witnesses):
        raise DrawRefusal("见证人随机数必须以文字形式录入（保留开头的 0）。")
    protocol.check_witnesses(witnesses)
    beacon = beacon.strip().lower()
    protocol.parse_beacon(beacon)
    return replace(state, witnesses=witnesses, beacon=beacon)


def reveal(state: DrawState) -> DrawState:
    """Reveals the secret and fixes the seed; from here the draw is final."""
    require_stage(state, "witnessed", "揭晓")
    if not state.secret:
        raise DrawStageError("本机没有这次抽取的程序密钥：请在开始这次抽取的电脑上揭示。")
    seed = protocol.compute_seed(state.inputs().hashes, state.witnesses, bytes.fromhex(state.secret),
                                 bytes.fromhex(state.beacon))
    return replace(state, seed=seed.hex())


@step
def select_subjects(state: DrawState) -> DrawState:
    """Per stratum: the quota lowest tickets, then the ordered 候补 list."""
    require_stage(state, "revealed", "抽取检查对象")
    return replace(state, selection=tuple(state.ranking().selection()))


@step
def match_teams(state: DrawState) -> DrawState:
    require_stage(state, "selected", "匹配检查人员")
    initial, _, final = protocol.replay(state.inputs(), state.ranking(), [])
    return replace(state, initial=initial, final=final)


@step
def _replay(state: DrawState, request: dict) -> DrawState:
    require_stage(state, "matched", "替换")
    initial, log, final = protocol.replay(state.inputs(), state.ranking(), list(state.replacements) + [request])
    if initial != state.initial or log[:-1] != list(state.replacements):
        raise DrawStageError("保存的抽取结果与重新计算的结果不一致，不能替换；请联系管理员核查。")
    return replace(state, replacements=tuple(log), final=final)


def replace_subject(state: DrawState, subject_id: str, reason: str) -> DrawState:
    """Replaces a drawn subject (注销、无法联系 …) by the next one in its stratum's order."""
    return _replay(state, {"kind": "subject", "target": canonical_id(subject_id, "检查对象标识"), "scope": "",
                           "reason": canonical_text(reason, "替换原因", required=True)})


def replace_inspector(state: DrawState, inspector_id: str, reason: str, team: str = "") -> DrawState:
    """Replaces an inspector in one team (team = its label), or in every team when team is ""."""
    return _replay(state, {"kind": "inspector", "target": canonical_id(inspector_id, "执法证号"),
                           "scope": canonical_id(team, "检查组") if team else "",
                           "reason": canonical_text(reason, "替换原因", required=True)})
