"""The published vectors (tests/data/draw_vectors.json) against the engine and against verify.py."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys

import pytest

from app.domain.draw import build_record, verify_package, write_package

from .vectors import VECTORS, expected_of, run

PAYLOAD = json.loads(VECTORS.read_text(encoding="utf-8"))
IDS = [v["name"] for v in PAYLOAD["vectors"]]


@pytest.fixture(params=PAYLOAD["vectors"], ids=IDS)
def vector(request):
    return request.param


def test_the_vectors_cover_what_the_issue_asks_for():
    text = json.dumps(PAYLOAD, ensure_ascii=False)
    files = [v["expected"]["files"] for v in PAYLOAD["vectors"]]
    assert PAYLOAD["protocol"] == "ssj-draw-v3"
    assert any(f["attempts.tsv"] for f in files)  # earlier, abandoned attempts are committed inputs
    assert any(w.startswith("0") for v in PAYLOAD["vectors"] for w in v["witnesses"])  # leading zeros
    assert any(v["beacon"] for v in PAYLOAD["vectors"])
    assert any(f["conflicts.tsv"] and f["exclusions.tsv"] for f in files)
    assert any("4\n" in f["subject_weights.txt"] for f in files)  # a weight above 1
    assert "Café" in text and "e\\u0301" not in files[1]["subject_names.txt"]  # names were NFC-normalised
    assert any(v["inputs"]["parameters"]["mode"] == "teams_first" for v in PAYLOAD["vectors"])
    assert all(v["expected"]["replacements"] for v in PAYLOAD["vectors"][1:])


def test_engine_reproduces_every_vector_exactly(vector):
    assert expected_of(run(vector)) == vector["expected"]


def _load_verifier(path):
    spec = importlib.util.spec_from_file_location("published_verify", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_packaged_verify_py_passes_and_rederives_the_vector(vector, tmp_path):
    paths = write_package(run(vector), tmp_path / "package")
    record = json.loads((paths.folder / "draw.json").read_text(encoding="utf-8"))
    for key in ("seed", "selection", "replacements", "final"):
        assert record[key] == vector["expected"][key]
    # the result before replacements is written only when there were replacements
    assert record["initial"] == (vector["expected"]["initial"] if vector["replacements"] else None)
    alone = tmp_path / "empty"
    alone.mkdir()
    shutil.copy(paths.folder / "verify.py", alone / "verify.py")
    verifier = _load_verifier(alone / "verify.py")
    files = {n: t.encode() for n, t in vector["expected"]["files"].items()}
    inputs = verifier.Inputs(files)
    seed = verifier.compute_seed(inputs.hashes, vector["witnesses"], bytes.fromhex(vector["secret"]),
                                 bytes.fromhex(vector["beacon"]))
    assert seed.hex() == vector["expected"]["seed"]
    assert verifier.Ranking(inputs, seed).selection() == vector["expected"]["selection"]
    for name, data in files.items():
        assert hashlib.sha256(data).hexdigest() == vector["expected"]["commitments"][name]
    done = subprocess.run([sys.executable, "-I", "-S", "-X", "utf8", str(alone / "verify.py"), str(paths.zip)],
                          cwd=alone, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("通过")


def test_engine_verifier_and_record_agree(vector, tmp_path):
    state = run(vector)
    result = verify_package(write_package(state, tmp_path / "p").folder)
    assert result.passed and result.verdict == "通过"
    assert build_record(state)["seed"] == vector["expected"]["seed"]
