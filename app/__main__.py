"""python -m app → the GUI;  python -m app <command> → the command line."""

from __future__ import annotations

import sys


def main() -> int:
    from app.cli import run_cli

    return run_cli(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
