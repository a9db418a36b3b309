"""Start-up time: from a new process to a visible main window on the sample county.

Baseline (issue #2): the bare interpreter starting and importing PySide6.QtWidgets
in the same run — what any PySide6 program pays before doing its own work.
Goal (issue #18): at most 1.5 s from source on the sample county.

Bytecode caching is left on for the measured runs even where PYTHONDONTWRITEBYTECODE is
set: a clerk's copy compiles its modules once, not at every start (the first, untimed run
writes the cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import sys, time
from app.ui.app import run_gui
from app.ui import main_window
from PySide6.QtCore import QTimer
original_show = main_window.MainWindow.show
def show_and_quit(self):
    original_show(self)
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    print("VISIBLE", flush=True)
    QTimer.singleShot(0, QApplication.quit)
main_window.MainWindow.show = show_and_quit
import argparse
sys.exit(run_gui(argparse.Namespace(db=None, demo=True)))
"""
BASELINE = "import PySide6.QtWidgets"


def _time(code: str, env: dict) -> float:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"启动失败（退出码 {out.returncode}）：{out.stderr}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHUANGSUIJI_DATA_DIR": data,
               "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        first = _time(PROBE, env)  # creates the demo county
        runs = [_time(PROBE, env) for _ in range(3)]
        baseline = min(_time(BASELINE, env) for _ in range(3))
    best = min(runs)
    print(f"首次启动（含生成示例县 3,000 户）：{first:.2f} 秒")
    print(f"启动到主窗口可见：{best:.2f} 秒（3 次中最快）")
    print(f"基线（解释器启动并导入 PySide6.QtWidgets）：{baseline:.2f} 秒；比值 {best / baseline:.1f}")


if __name__ == "__main__":
    main()
