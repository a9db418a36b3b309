"""The readings docs/draw-protocol.md §14 settles, one test each (the rest are in the vectors)."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile

import pytest

from app.domain.draw import (DrawInputs, DrawParameters, Inspector, Quota, Subject, SubjectConflict, add_witnesses,
                             match_teams, prepare, reveal, select_subjects, verify_package, write_package)
from app.domain.draw.canonical import canonical_files
from app.domain.draw.protocol import (VERSION, DrawRefusal, Matcher, Ranking, Stream, canonical_json,
                                      digest, parse_beacon)

from .vectors import VECTORS, inputs_of, run

VECTORS_ = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
SEED = hashlib.sha256(b"settled").digest()


def test_the_secret_enters_hashes_as_raw_bytes():
    for vector in VECTORS_:
        raw = bytes.fromhex(vector["secret"])
        commitment = vector["expected"]["commitments"]["secret_commitment"]
        assert digest(VERSION.encode(), b"SECRET", raw).hex() == commitment
        assert digest(VERSION.encode(), b"SECRET", vector["secret"].encode()).hex() != commitment


def test_below_one_consumes_a_stream_value():
    stream = Stream(SEED, b"I")
    assert stream.below(1) == 0
    block = digest(SEED, b"I", b"0")
    second = int.from_bytes(block[8:16], "big")
    assert second < 2**64 - 2**64 % 7  # not rejected (so the expectation below is exact)
    assert stream.below(7) == second % 7


def test_teams_first_level_lists_hold_only_free_inspectors():
    """Re-derived from §8 alone: each new team draws from the inspectors in no team yet."""
    people = [Inspector(f"P{n}", f"人员{n}", "市场监管局", leader=True) for n in range(7)]
    inputs = DrawInputs([Subject(f"S{n:02d}", f"对象{n}") for n in range(9)],
                        DrawParameters({"全部": Quota.of(6)}, team_size=2, mode="teams_first", teams=3), people)
    state = match_teams(select_subjects(reveal(add_witnesses(prepare(inputs, secret=bytes(32)), ["0" * 20]))))
    stream, free, expected = Stream(bytes.fromhex(state.seed), b"I"), sorted(p.id for p in people), []
    for _ in range(3):
        team = []
        while len(team) < 2:  # the leader pick, then anyone: every inspector is leader-eligible here
            level = list(free)  # the team's own members stay in the list until the fill succeeds
            chosen = level[stream.below(len(level))]
            while chosen in team:
                chosen = level[stream.below(len(level))]
            team.append(chosen)
        free = [i for i in free if i not in team]
        expected.append(team)
    assert [[m["id"] for m in t["members"]] for t in state.final["teams"]] == expected


def test_a_failed_fill_uses_up_its_pick_numbers():
    people = [Inspector("A1", "组长", "市场监管局", leader=True), Inspector("B1", "组员", "市场监管局")]
    inputs = DrawInputs([Subject("S1", "一"), Subject("S2", "二")], DrawParameters({"全部": Quota.of(2)}), people,
                        conflicts=[SubjectConflict("B1", "S1")])
    _, parsed = canonical_files(inputs)
    matcher = Matcher(parsed, Ranking(parsed, SEED))
    assert matcher._team_for("S1") == ""  # the leader was picked (pick 1), then nobody else may join
    assert matcher.picks == 1 and matcher.load == {"A1": 0, "B1": 0}
    assert matcher._team_for("S2") == "S2"
    assert matcher.teams["S2"]["members"] == {"A1": 2, "B1": 3}


def test_a_replacement_subject_is_appended_to_its_team():
    vector = next(v for v in VECTORS_ if v["inputs"]["parameters"]["mode"] == "teams_first")
    final = vector["expected"]["final"]
    entry = next(r for r in vector["expected"]["replacements"] if r["kind"] == "subject")
    team = next(t for t in final["teams"] if t["label"] == entry["team"])
    assert team["subjects"][-1] == entry["replacement"] and entry["target"] not in team["subjects"]


@pytest.fixture
def package(tmp_path):
    return write_package(run(VECTORS_[0]), tmp_path / "package")


def test_extra_files_are_named_and_ignored(package, tmp_path):
    (package.folder / "说明.txt").write_text("不属于验证包", encoding="utf-8")
    result = verify_package(package.folder)
    assert result.passed and any("说明.txt" in line for line in result.report)
    with zipfile.ZipFile(package.zip, "a") as archive:
        archive.writestr("extra/verify.py", b"print('I vouch for myself')")
    result = verify_package(package.zip)
    assert result.passed and any("extra/verify.py" in line for line in result.report)


def _rewrite(folder, edit_params=None, edit_record=None) -> str:
    record = json.loads((folder / "draw.json").read_bytes())
    if edit_params:
        params = json.loads((folder / "inputs" / "params.json").read_bytes())
        edit_params(params)
        data = canonical_json(params)
        (folder / "inputs" / "params.json").write_bytes(data)
        record["inputs"]["params.json"] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        record["params"] = params
    if edit_record:
        edit_record(record)
    (folder / "draw.json").write_bytes(canonical_json(record))
    return verify_package(folder).verdict


def test_the_verifier_rechecks_the_refusals_of_the_files(package, tmp_path):
    too_many = tmp_path / "quota"
    shutil.copytree(package.folder, too_many)
    verdict = _rewrite(too_many, edit_params=lambda p: p["quotas"].update({"全部": {"count": 13}}))
    assert verdict.startswith("不通过：") and "不能抽取 13 个" in verdict
    few_digits = tmp_path / "digits"
    shutil.copytree(package.folder, few_digits)
    verdict = _rewrite(few_digits, edit_record=lambda r: r.update(witnesses=["0123"]))
    assert "draw.json" in verdict and "至少需要 20 位" in verdict


def test_the_beacon_is_lower_case_in_the_protocol(tmp_path):
    vector = VECTORS_[1]
    state = add_witnesses(prepare(inputs_of(vector), secret=bytes(32)), vector["witnesses"], "00FF0A0B")
    assert state.beacon == "00ff0a0b"
    with pytest.raises(DrawRefusal):
        parse_beacon("00FF0A0B")
    upper = tmp_path / "upper"
    shutil.copytree(write_package(run(vector), tmp_path / "b").folder, upper)
    verdict = _rewrite(upper, edit_record=lambda r: r.update(beacon=r["beacon"].upper()))
    assert "信标" in verdict and verdict.startswith("不通过：")
