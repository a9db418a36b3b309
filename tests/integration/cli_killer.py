"""`python -m app …` that dies like a power cut right after a chosen draw step has committed.

    python -m tests.integration.cli_killer STEP -- ARGS…

STEP is a function of app.services.draw.ceremony (start_draw, record_witnesses, reveal, select_subjects,
match_teams, finish): once it has returned (its transaction committed) the process SIGKILLs
itself — no cleanup, no rollback hooks — so the tests can resume the draw with `draw resume`.
"""

from __future__ import annotations

import os
import signal
import sys

from app.cli import run_cli
from app.services.draw import ceremony as draws
def _dies_after(name: str) -> None:
    step = getattr(draws, name)

    def run(*args, **kwargs):
        result = step(*args, **kwargs)
        print("killed after", name, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(draws, name, run)


def main(argv: list[str]) -> int:
    step, _, args = argv[0], argv[1], argv[2:]
    _dies_after(step)
    return run_cli(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
