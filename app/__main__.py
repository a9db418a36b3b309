"""python -m app → the GUI;  python -m app <command> → the command line."""

from __future__ import annotations

import multiprocessing
import os
import sys


def main() -> int:
    from app.cli import run_cli

    try:
        code = run_cli(sys.argv[1:])
        sys.stdout.flush()  # inside the try: a pipe closed early fails here, not at interpreter exit
        return code
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    # A frozen build runs its own executable for the second process that reads a large
    # directory file (services/subject_rows.py): this hands such a start over to that process.
    multiprocessing.freeze_support()
    sys.exit(main())
