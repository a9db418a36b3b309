"""An independent re-derivation of a published vector from docs/draw-protocol.md alone.

Written against the document, not the engine: plain hashlib, plain parsing, no import from
app.domain.draw — if the engine and the document ever drift apart, this test says so.
"""

from __future__ import annotations

import hashlib
import json

from .vectors import VECTORS

VECTOR = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def h(*fields: bytes) -> bytes:
    return hashlib.sha256(b"".join(lp(f) for f in fields)).digest()


def tsv(text: str) -> list:
    return [line.split("\t") for line in text.split("\n")[:-1]]


def test_seed_and_secret_commitment_from_the_document():
    for v in VECTOR:
        files = v["expected"]["files"]
        order = ["subjects.tsv", "exclusions.tsv", "inspectors.tsv", "conflicts.tsv", "params.json"]
        hashes = [hashlib.sha256(files[n].encode()).digest() for n in order]
        secret = bytes.fromhex(v["secret"])
        digits = [w.encode() for w in v["witnesses"]]
        seed = h(b"ssj-draw-v1", b"SEED", *hashes, str(len(digits)).encode(), *digits, secret,
                 bytes.fromhex(v["beacon"]))
        assert seed.hex() == v["expected"]["seed"]
        assert h(b"ssj-draw-v1", b"SECRET", secret).hex() == v["expected"]["commitments"]["secret_commitment"]


def test_subject_tickets_weights_quotas_and_order_from_the_document():
    v = VECTOR[1]
    seed = bytes.fromhex(v["expected"]["seed"])
    params = json.loads(v["expected"]["files"]["params.json"])
    strata = {}
    for sid, stratum, weight, name in tsv(v["expected"]["files"]["subjects.tsv"]):
        ticket = min(hashlib.sha256(lp(seed) + lp(b"T") + lp(sid.encode()) + (lp(str(j).encode()) if j > 1 else b""))
                     .digest() for j in range(1, int(weight) + 1))
        strata.setdefault(stratum, []).append((ticket, sid.encode(), name))
    for entry in v["expected"]["selection"]:
        members = sorted(strata[entry["stratum"]])
        quota = params["quotas"][entry["stratum"]]
        count = quota["count"] if "count" in quota else -(-len(members) * quota["ratio"][0] // quota["ratio"][1])
        assert entry["quota"] == count and entry["population"] == len(members)
        expected = [(t.hex(), s.decode()) for t, s, _ in members[:count + params["alternates"]]]
        assert [(e["ticket"], e["id"]) for e in entry["drawn"] + entry["alternates"]] == expected


def test_inspector_tickets_and_leaders_from_the_document():
    for v in VECTOR:
        seed = bytes.fromhex(v["expected"]["seed"])
        leaders = {row[0] for row in tsv(v["expected"]["files"]["inspectors.tsv"]) if row[2] == "1"}
        for team in v["expected"]["final"]["teams"]:
            tickets = [hashlib.sha256(lp(seed) + lp(b"I") + lp(team["label"].encode()) + lp(m["id"].encode()))
                       .hexdigest() for m in team["members"]]
            assert tickets == [m["ticket"] for m in team["members"]] == sorted(tickets)
            assert team["leader"] == next(m["id"] for m in team["members"] if m["id"] in leaders)
