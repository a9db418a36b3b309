#!/usr/bin/env python3
"""One-step set-up for a fresh machine with only Python 3.11+.

    python3 dev.py run --demo      start the program on the sample county
    python3 dev.py test            run the whole test suite
    python3 dev.py bench           run every benchmark and print its figures
    python3 dev.py bundle          build the PyInstaller bundle and run its self-test

Each command first makes ``.venv`` beside this file and installs the project
into it (again only when pyproject.toml has changed), then runs inside it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):
        sys.exit("需要 Python 3.11 或更高版本。")
    if not venv_python().exists():
        print("正在创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("正在安装依赖（首次需要几分钟）…", flush=True)
        subprocess.run([venv_python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([venv_python(), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"], check=True)
        STAMP.write_text(wanted)
    return venv_python()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench", "bundle"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_environment())
    if command == "run":
        args = [python, "-m", "app", *rest]
    elif command == "test":
        args = [python, "-m", "pytest", *rest]
    elif command == "bench":
        args = [python, str(ROOT / "benchmarks" / "run_all.py"), *rest]
    else:
        args = [python, str(ROOT / "installer" / "build_bundle.py"), *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
