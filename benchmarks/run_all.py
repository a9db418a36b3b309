"""Run every benchmark in this folder (bench_*.py) and print its figures.

    python3 dev.py bench            all of them
    python3 dev.py bench draw       only those whose name contains "draw"

Each benchmark prints its own figures and the ratio to the baseline named in
its issue; this runner only runs them one after another and reports failures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(filters: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if filters:
        scripts = [s for s in scripts if any(f in s.stem for f in filters)]
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"\n未通过或出错的基准：{', '.join(failed)}")
        return 1
    print(f"\n{len(scripts)} 个基准已运行。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
