#!/usr/bin/env python3
"""One-step set-up for a fresh machine with only Python 3.11+.

    python3 dev.py run --demo      start the program on the sample county
    python3 dev.py test            ruff, then the whole test suite (fails if a test is skipped)
    python3 dev.py bench           run every benchmark and print its figures
    python3 dev.py bundle          build the PyInstaller bundle and run its self-test
    python3 dev.py lock            refresh requirements.lock to the newest versions pyproject.toml allows

Each command first makes ``.venv`` beside this file and installs the project
into it with the exact versions of requirements.lock (again only when pyproject.toml
or the lock has changed), then runs inside it.
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
LOCK = ROOT / "requirements.lock"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):
        sys.exit("需要 Python 3.11 或更高版本。")
    if not venv_python().exists():
        print("正在创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("正在安装依赖（首次需要几分钟）…", flush=True)
        subprocess.run([venv_python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([venv_python(), "-m", "pip", "install", "--quiet", "-c", str(LOCK), "-e", f"{ROOT}[dev]"],
                       check=True)
        STAMP.write_text(wanted)
    return venv_python()


def refresh_lock(python: str) -> int:
    """Upgrade .venv to the newest versions pyproject.toml allows and write them to requirements.lock."""
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "-e", f"{ROOT}[dev]"], check=True)
    frozen = subprocess.run([python, "-m", "pip", "freeze", "--exclude-editable"], check=True,
                            capture_output=True, text=True).stdout
    header = LOCK.read_text(encoding="utf-8").split("\n")[:2]
    pins = [line for line in frozen.splitlines() if line and not line.startswith("shuangsuiji")]
    LOCK.write_text("\n".join(header + pins) + "\n", encoding="utf-8")
    STAMP.unlink(missing_ok=True)
    print(f"已更新 {LOCK.name}（{len(pins)} 个包）。请运行 python3 dev.py test 后再提交。")
    return 0


def run_tests(python: str, rest: list[str]) -> int:
    """Ruff first (the rule set is in pyproject.toml), then pytest. A skipped test fails the run
    unless its reason is one tests/conftest.py documents (the PostgreSQL-only parameters)."""
    lint = subprocess.run([python, "-m", "ruff", "check", str(ROOT)], cwd=ROOT)
    if lint.returncode:
        print("ruff 发现了问题（见上），测试未运行。", file=sys.stderr)
        return lint.returncode
    env = {**os.environ, "SHUANGSUIJI_NO_SKIPS": "1"}
    return subprocess.run([python, "-m", "pytest", *rest], cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench", "bundle", "lock"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_environment())
    if command == "test":
        return run_tests(python, rest)
    if command == "lock":
        return refresh_lock(python)
    if command == "run":
        args = [python, "-m", "app", *rest]
    elif command == "bench":
        args = [python, str(ROOT / "benchmarks" / "run_all.py"), *rest]
    else:
        args = [python, str(ROOT / "installer" / "build_bundle.py"), *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
