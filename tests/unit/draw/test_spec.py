"""An independent re-derivation of the published vectors from docs/draw-protocol.md alone.

Written against the document, not the engine: plain hashlib, plain parsing, the slowest obvious
algorithms, no import from app.domain.draw — if the engine and the document ever drift apart,
this test says so.
"""

from __future__ import annotations

import hashlib
import json

from .vectors import VECTORS

VECTOR = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
FILES = ["subject_ids.txt", "subject_strata.txt", "subject_weights.txt", "subject_names.txt",
         "exclusions.tsv", "inspectors.tsv", "conflicts.tsv", "params.json", "attempts.tsv"]


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def h(*fields: bytes) -> bytes:
    return hashlib.sha256(b"".join(lp(f) for f in fields)).digest()


def tsv(text: str) -> list:
    return [line.split("\t") for line in text.split("\n")[:-1]]


class Stream:
    """§7: block j = HL(seed, *domain, dec(j)); four 64-bit big-endian integers per block."""

    def __init__(self, seed: bytes, *domain: bytes):
        self.seed, self.domain, self.values = seed, domain, []

    def below(self, m: int) -> int:
        while True:
            if not self.values:
                j = len(self.__dict__.setdefault("blocks", []))
                block = h(self.seed, *self.domain, str(j).encode())
                self.blocks.append(block)
                self.values = [int.from_bytes(block[k:k + 8], "big") for k in range(0, 32, 8)]
            u = self.values.pop(0)
            if u < 2**64 - 2**64 % m:
                return u % m


def subjects_of(files: dict) -> list:
    """[(id, stratum, weight, name)] in file order, from the four column files."""
    columns = [files[name].split("\n")[:-1] for name in FILES[:4]]
    return [(i, s, int(w), n) for i, s, w, n in zip(*columns)]


def test_seed_and_secret_commitment_from_the_document():
    for v in VECTOR:
        files = v["expected"]["files"]
        hashes = [hashlib.sha256(files[n].encode()).digest() for n in FILES]
        secret = bytes.fromhex(v["secret"])
        digits = [w.encode() for w in v["witnesses"]]
        seed = h(b"ssj-draw-v3", b"SEED", *hashes, str(len(digits)).encode(), *digits, secret,
                 bytes.fromhex(v["beacon"]))
        assert seed.hex() == v["expected"]["seed"]
        assert h(b"ssj-draw-v3", b"SECRET", secret).hex() == v["expected"]["commitments"]["secret_commitment"]


def test_subject_draws_weights_quotas_and_order_from_the_document():
    for v in VECTOR:
        seed = bytes.fromhex(v["expected"]["seed"])
        params = json.loads(v["expected"]["files"]["params.json"])
        strata = {}
        for sid, stratum, weight, name in subjects_of(v["expected"]["files"]):
            strata.setdefault(stratum, []).append((sid, weight))
        # §7: every stratum with an eligible subject or a quota (a quota-0 stratum with no subject too)
        assert [e["stratum"] for e in v["expected"]["selection"]] == sorted(set(strata) | set(params["quotas"]))
        for entry in v["expected"]["selection"]:
            remaining = list(strata.get(entry["stratum"], []))
            quota = params["quotas"][entry["stratum"]]
            count = quota["count"] if "count" in quota else -(-len(remaining) * quota["ratio"][0] // quota["ratio"][1])
            assert entry["quota"] == count and entry["population"] == len(remaining)
            stream, expected = Stream(seed, b"S", entry["stratum"].encode()), []
            while remaining and len(expected) < count + params["alternates"]:
                slots = sum(w for _, w in remaining)
                x = stream.below(slots)
                k = 0
                while x >= sum(w for _, w in remaining[:k + 1]):  # the subject holding slot x
                    k += 1
                expected.append((len(expected) + 1, remaining[k][0], x, slots))
                del remaining[k]
            got = [(e["rank"], e["id"], e["slot"], e["slots"]) for e in entry["drawn"] + entry["alternates"]]
            assert got == expected


def test_draw_order_first_inspector_pick_and_leaders_from_the_document():
    for v in VECTOR:
        seed = bytes.fromhex(v["expected"]["seed"])
        params = json.loads(v["expected"]["files"]["params.json"])
        rows = tsv(v["expected"]["files"]["inspectors.tsv"])
        leaders = {r[0] for r in rows if r[2] == "1"}
        result = v["expected"]["initial"]
        ranks = [(s["rank"], s["stratum"]) for s in result["subjects"]]
        assert ranks == sorted(ranks)  # draw order: rank in the stratum, then the stratum label
        # The very first pick: the first team's leader, from the pool's leader-eligible at load 0.
        pool = [r[0] for r in rows if not r[4] and (not params["departments"] or r[1] in params["departments"])
                and r[0] in leaders]
        first = result["teams"][0]
        against = {c[1] for c in tsv(v["expected"]["files"]["conflicts.tsv"])
                   if c[0] == "IS" and c[2] in first["subjects"]}
        stream = Stream(seed, b"I")
        chosen = pool[stream.below(len(pool))]
        while chosen in against:
            chosen = pool[stream.below(len(pool))]
        assert first["members"][0]["id"] == chosen and first["members"][0]["pick"] == 1
        for team in v["expected"]["final"]["teams"]:
            picks = [m["pick"] for m in team["members"]]
            assert picks == sorted(picks) and len(picks) == params["team_size"]
            assert team["leader"] == next(m["id"] for m in team["members"] if m["id"] in leaders)
