"""One byte changed anywhere in a package: the verifier fails and names the place."""

from __future__ import annotations

import json
import random
import zipfile

import pytest

from app.domain.draw import verify_package, write_package
from app.domain.draw.protocol import INPUT_FILES

from .vectors import VECTORS, run

VECTOR, EDGES = (json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"][k] for k in (1, 3))
FILES = ["draw.json", "verify.py"] + [f"inputs/{n}" for n in INPUT_FILES]


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return write_package(run(VECTOR), tmp_path_factory.mktemp("tamper") / "package")


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    """The vector with earlier attempts (the other one has an empty attempts.tsv)."""
    return write_package(run(EDGES), tmp_path_factory.mktemp("tamper") / "package")


def _positions(size: int) -> list:
    """First, last and 40 more byte positions spread over the file (fixed, so failures reproduce)."""
    rng = random.Random(size)
    return sorted({0, size - 1, *rng.sample(range(size), min(size, 40))})


@pytest.mark.parametrize("name", FILES)
def test_every_changed_byte_is_caught_and_located(package, edges, name):
    if not (package.folder / name).stat().st_size:
        package = edges
    path = package.folder / name
    original = path.read_bytes()
    assert verify_package(package.folder).passed
    try:
        for pos in _positions(len(original)):
            for new in {original[pos] ^ 0x01, (original[pos] + 0x40) % 256}:
                path.write_bytes(original[:pos] + bytes([new]) + original[pos + 1:])
                result = verify_package(package.folder)
                assert not result.passed, (name, pos)
                assert result.verdict.startswith("不通过：")
                assert name.split("/")[-1] in result.verdict or "draw.json" in result.verdict, result.verdict
    finally:
        path.write_bytes(original)


def _forge(package, edit) -> str:
    """Rewrites draw.json, well-formed and canonical, after edit(record); returns the verdict."""
    path = package.folder / "draw.json"
    original = path.read_bytes()
    record = json.loads(original)
    edit(record)
    try:
        path.write_bytes((json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode())
        result = verify_package(package.folder)
        assert not result.passed
        return result.verdict
    finally:
        path.write_bytes(original)


def test_a_changed_slot_is_reported_with_its_path_and_both_values(package):
    slot = json.loads((package.folder / "draw.json").read_bytes())["selection"][0]["drawn"][0]["slot"]

    def edit(record):
        record["selection"][0]["drawn"][0]["slot"] = slot + 1000

    verdict = _forge(package, edit)
    assert "selection[0].drawn[0].slot" in verdict and f"记录为 {slot + 1000}" in verdict and f"应为 {slot}" in verdict


def test_a_swapped_drawn_subject_is_caught_even_with_a_well_formed_record(package):
    def edit(record):
        a, b = record["selection"][0]["drawn"][0], record["selection"][0]["alternates"][0]
        a["id"], b["id"] = b["id"], a["id"]

    verdict = _forge(package, edit)
    assert "selection[0].alternates[0].id" in verdict or "selection[0].drawn[0].id" in verdict


def test_a_forged_replacement_log_is_caught(package):
    def edit(record):
        record["replacements"][0]["replacement"] = record["selection"][0]["alternates"][-1]["id"]

    assert "replacements[0].replacement" in _forge(package, edit)


def test_a_changed_member_inside_the_zip_is_caught(package, tmp_path):
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(package.zip) as src, zipfile.ZipFile(forged, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "inputs/conflicts.tsv":
                data = data.replace(b"II", b"IS", 1)
            out.writestr(item, data)
    assert verify_package(package.zip).passed
    result = verify_package(forged)
    assert not result.passed and "inputs/conflicts.tsv" in result.verdict


def test_a_missing_file_is_named(package, tmp_path):
    with zipfile.ZipFile(package.zip) as src, zipfile.ZipFile(tmp_path / "short.zip", "w") as out:
        for item in src.infolist():
            if item.filename != "inputs/exclusions.tsv":
                out.writestr(item, src.read(item))
    result = verify_package(tmp_path / "short.zip")
    assert not result.passed and "inputs/exclusions.tsv" in result.verdict
