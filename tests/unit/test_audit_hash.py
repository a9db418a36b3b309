"""The audit entry hash is canonical: key order does not matter, every field does (the sequence number too)."""

from hypothesis import given, strategies as st

from app.services.system.audit import entry_hash

FIELDS = dict(seq=7, at="2026-11-23T10:00:00.000000", username="lisi", actor="李四", role="经办人", pc="会议室电脑",
              action="抽取", entity="draw", entity_id="7", details={"b": 1, "a": "二"}, prev_hash="0" * 64)


def test_key_order_is_irrelevant():
    reordered = {**FIELDS, "details": {"a": "二", "b": 1}}
    assert entry_hash(**FIELDS) == entry_hash(**reordered)


@given(st.sampled_from(sorted(FIELDS)), st.text(min_size=1, max_size=5))
def test_any_changed_field_changes_the_hash(field, suffix):
    changed = dict(FIELDS)
    if field == "details":
        changed[field] = {**FIELDS["details"], "x": suffix}
    elif field == "seq":
        changed[field] = FIELDS["seq"] + len(suffix)
    else:
        changed[field] = FIELDS[field] + suffix
    assert entry_hash(**changed) != entry_hash(**FIELDS)
