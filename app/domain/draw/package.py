"""The verification package: a folder and a zip with draw.json, the canonical inputs and verify.py.

verify.py is protocol.py copied byte for byte, so the package carries the one implementation
the engine itself ran.  (A frozen build must ship app/domain/draw/protocol.py as a data file.)
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Tuple

from . import protocol
from .protocol import INPUT_FILES, DrawError
from .state import DrawState, require_stage, step, verifier_source


@dataclass(frozen=True)
class PackagePaths:
    folder: Path
    zip: Path


@dataclass(frozen=True)
class VerificationResult:
    passed: bool
    report: Tuple[str, ...]  # Chinese lines; the last is 通过 or 不通过：<first mismatch>

    @property
    def verdict(self) -> str:
        return self.report[-1]


def build_record(state: DrawState) -> dict:
    """draw.json as an object, from the persisted results (the verifier recomputes the same)."""
    require_stage(state, "matched", "生成验证包")
    verifier = verifier_source()
    if hashlib.sha256(verifier).hexdigest() != state.verifier:
        raise DrawError("本程序所带的 verify.py 与抽取前公布的 SHA-256 不同（程序已被更换或改动），"
                        "不能生成验证包；请安装抽取时的版本。")
    return protocol.assemble(state.inputs(), state.witnesses, state.beacon, bytes.fromhex(state.secret),
                             bytes.fromhex(state.seed), list(state.selection), state.initial,
                             list(state.replacements), state.final, verifier)


@step
def package_files(state: DrawState) -> dict:
    """{relative path: bytes} of the package."""
    files = {"draw.json": protocol.canonical_json(build_record(state)), "verify.py": verifier_source()}
    files.update({"inputs/" + name: state.files[name] for name in INPUT_FILES})
    return files


def write_package(state: DrawState, folder) -> PackagePaths:
    """Writes the package into folder (new or empty) and folder.zip beside it; reproducible bytes."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise DrawError(f"文件夹 {folder} 不是空的，请选择一个新的文件夹保存验证包。")
    files = package_files(state)
    folder.joinpath("inputs").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        folder.joinpath(name).write_bytes(data)
    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return PackagePaths(folder=folder, zip=archive)


def verify_package(path) -> VerificationResult:
    """Re-derives a package folder or zip, exactly as verify.py does (python -m app draw verify DIR)."""
    passed, report = protocol.verify(path)
    return VerificationResult(passed=passed, report=tuple(report))
