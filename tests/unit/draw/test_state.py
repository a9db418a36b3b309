"""The persisted states: JSON round trips at every step, what may be shown when, reproducible packages."""

from __future__ import annotations

import json

from app.domain.draw import (STAGES, DrawState, add_witnesses, match_teams, prepare, replace_subject, reveal,
                             select_subjects, write_package)

from app.domain.draw.protocol import INPUT_FILES
from .vectors import VECTORS, inputs_of

VECTOR = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"][1]


def states():
    state = prepare(inputs_of(VECTOR), secret=bytes.fromhex(VECTOR["secret"]))
    yield state
    for step in (lambda s: add_witnesses(s, VECTOR["witnesses"], VECTOR["beacon"]), reveal, select_subjects,
                 match_teams, lambda s: replace_subject(s, s.final["subjects"][0]["id"], "无法联系")):
        state = step(state)
        yield state


def test_every_state_round_trips_through_json_and_resumes():
    seen = []
    for state in states():
        restored = DrawState.from_dict(json.loads(json.dumps(state.to_dict(), ensure_ascii=False)))
        assert restored == state and restored.stage == state.stage
        seen.append(state.stage)
    assert seen == list(STAGES) + ["matched"]


def test_the_secret_is_shown_only_after_the_reveal():
    for state in states():
        public = json.dumps(state.public())
        assert state.commitments["secret_commitment"] in public
        assert (state.secret in public) == bool(state.seed)


def test_each_prepare_draws_a_fresh_secret():
    a, b = prepare(inputs_of(VECTOR)), prepare(inputs_of(VECTOR))
    assert a.secret != b.secret and a.files == b.files
    assert a.commitments["subject_ids.txt"] == b.commitments["subject_ids.txt"]


def test_packages_are_byte_for_byte_reproducible(tmp_path):
    final = list(states())[-1]
    first, second = write_package(final, tmp_path / "a"), write_package(final, tmp_path / "b")
    assert first.zip.read_bytes() == second.zip.read_bytes()
    assert sorted(p.name for p in first.folder.rglob("*")) == sorted(
        ["draw.json", "verify.py", "inputs", *INPUT_FILES])
