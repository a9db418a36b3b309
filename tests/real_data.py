"""Where the real provincial files live: /…/shared/data/real beside the repository (or beside a
folder holding it, as for a git worktree). Tests that need them skip only with a reason that
the suite's no-skip check does not accept, so a machine without them fails `dev.py test`."""

from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
REAL = next((folder / "shared" / "data" / "real" for folder in _ROOT.parents
             if (folder / "shared" / "data" / "real").is_dir()), _ROOT.parent / "shared" / "data" / "real")
