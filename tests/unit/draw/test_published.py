"""verify.py's own SHA-256, published per protocol version, matches the file the program ships."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from app.domain.draw import VERSION, prepare
from app.domain.draw.state import verifier_source

from .vectors import VECTORS, inputs_of

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = hashlib.sha256((ROOT / "app" / "domain" / "draw" / "protocol.py").read_bytes()).hexdigest()


def _published(path: Path) -> dict:
    """{version: hash} from the table rows "| `ssj-draw-vN` | `hex` |" of a document."""
    rows = re.findall(r"^\| `(ssj-draw-v\d+)` \| `([0-9a-f]{64})` \|$", path.read_text(encoding="utf-8"), re.M)
    return dict(rows)


def test_the_shipped_verify_py_has_the_hash_published_in_the_protocol_and_the_readme():
    for document in ("docs/draw-protocol.md", "README.md"):
        assert _published(ROOT / document).get(VERSION) == SHIPPED, (
            f"{document} publishes another SHA-256 for {VERSION}'s verify.py than the shipped file has: "
            "protocol.py is frozen with its version (a change needs a new version tag)")


def test_the_hash_is_among_the_commitments_shown_before_the_draw():
    vector = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"][0]
    state = prepare(inputs_of(vector), secret=bytes.fromhex(vector["secret"]))
    assert state.public()["commitments"]["verify_py_sha256"] == SHIPPED
    assert hashlib.sha256(verifier_source()).hexdigest() == SHIPPED
