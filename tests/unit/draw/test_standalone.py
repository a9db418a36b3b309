"""verify.py alone, under a plain python3 with no site-packages; and the engine stays pure."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.draw import write_package

from .vectors import VECTORS, run

DRAW = Path(__file__).resolve().parents[3] / "app" / "domain" / "draw"
PYTHON = shutil.which("python3") or sys.executable


@pytest.fixture(scope="module")
def lonely(tmp_path_factory):
    """verify.py copied alone into an empty folder, and a package elsewhere."""
    root = tmp_path_factory.mktemp("standalone")
    vector = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"][2]
    package = write_package(run(vector), root / "package")
    alone = root / "empty"
    alone.mkdir()
    shutil.copy(package.folder / "verify.py", alone / "verify.py")
    return alone, package


def verify_py(folder: Path, *args) -> subprocess.CompletedProcess:
    # -I: ignore PYTHON* variables and the user's site; -S: no site-packages at all, stdlib only;
    # -X utf8: UTF-8 output on any platform, so the Chinese verdict can be read back
    return subprocess.run([PYTHON, "-I", "-S", "-X", "utf8", "verify.py", *map(str, args)], cwd=folder,
                          capture_output=True, text=True, encoding="utf-8")


def test_verify_py_alone_passes_a_package_folder_and_its_zip(lonely):
    alone, package = lonely
    for target in (package.folder, package.zip):
        done = verify_py(alone, target)
        assert done.returncode == 0, done.stdout + done.stderr
        lines = done.stdout.strip().splitlines()
        assert lines[-1] == "通过" and any(line.startswith("种子 ") for line in lines)


def test_verify_py_inside_the_package_checks_its_own_folder(lonely):
    _, package = lonely
    done = verify_py(package.folder)
    assert done.returncode == 0 and done.stdout.strip().endswith("通过")


def test_verify_py_alone_fails_a_tampered_package_with_exit_1(lonely, tmp_path):
    alone, package = lonely
    forged = tmp_path / "forged"
    shutil.copytree(package.folder, forged)
    params = forged / "inputs" / "params.json"
    params.write_bytes(params.read_bytes().replace(b'"team_size":3', b'"team_size":2'))
    done = verify_py(alone, forged)
    assert done.returncode == 1
    assert done.stdout.strip().splitlines()[-1].startswith("不通过：") and "params.json" in done.stdout


def test_the_protocol_module_imports_only_the_standard_library():
    tree = ast.parse((DRAW / "protocol.py").read_text(encoding="utf-8"))
    names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert names <= set(sys.stdlib_module_names) | {"__future__"}
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))


@pytest.mark.parametrize("module", sorted(p.name for p in DRAW.glob("*.py")))
def test_no_floating_point_qt_or_database_in_the_draw_package(module):
    source = (DRAW / module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, (float, complex))]
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Div)]  # only //: no true division (paths use joinpath)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "float"]
    assert "PySide6" not in source and "sqlalchemy" not in source.lower()
