"""A command whose output is piped into `head` stops quietly, without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_output_cut_short_by_head_ends_without_a_traceback(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    command = [sys.executable, "-m", "app", "--db", db, "tasks", "list", "--json"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.close()  # the reader has gone before anything is written, like `| head -c 0`
        errors = process.stderr.read().decode()
    assert process.returncode == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
