"""The whole-data archive's value encoding: every value a column can hold comes back unchanged,
and the encoding of one row is the same bytes each time (the import's hash check relies on it)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.services.backup.archive import DECODERS, ENCODERS

json_values = st.recursive(st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                           max_leaves=12)
KINDS = {
    "integer": st.integers(-2**63, 2**63 - 1),
    "text": st.text(),
    "boolean": st.booleans(),
    "date": st.dates(),
    "datetime": st.datetimes(),
    "time": st.times(),
    "json": json_values,
    "decimal": st.decimals(allow_nan=False, allow_infinity=False),
    "binary": st.binary(),
}
rows = st.fixed_dictionaries({kind: st.none() | strategy for kind, strategy in KINDS.items()})


def encode(row: dict) -> bytes:
    values = {kind: value if value is None or kind not in ENCODERS else ENCODERS[kind](value)
              for kind, value in row.items()}
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(values).encode("utf-8")


def decode(line: bytes) -> dict:
    values = json.loads(line)
    return {kind: value if value is None or kind not in DECODERS else DECODERS[kind](value)
            for kind, value in values.items()}


@given(rows)
def test_every_value_comes_back_unchanged(row):
    back = decode(encode(row))
    for kind, value in row.items():
        if kind == "decimal" and value is not None:
            assert isinstance(back[kind], Decimal) and back[kind] == value
        else:
            assert back[kind] == value and type(back[kind]) is type(value)


@given(rows)
def test_the_same_row_gives_the_same_bytes_after_a_round_trip(row):
    line = encode(row)
    assert encode(decode(line)) == line and b"\n" not in line
