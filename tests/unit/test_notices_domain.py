"""The notice's QR text, its text hash, 送达 rules and spreadsheet-safe cells (no Qt, no database)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.domain.notices import (
    NoticeRef,
    delivery_problems,
    parse_notice_qr,
    safe_cell,
    text_hash,
)

codes = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=15, max_size=18)
digests = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@given(st.integers(1, 10_000), st.integers(2000, 2100), st.integers(1, 1_000_000), codes, digests)
def test_a_notice_reference_survives_printing_and_scanning(department, year, serial, code, digest):
    ref = NoticeRef(department, year, serial, code, digest)
    assert ref.text.isascii()  # a USB scanner types it like a keyboard
    assert parse_notice_qr(ref.text) == ref
    assert parse_notice_qr(f"  {ref.text.lower()}\n") == ref


@given(st.text(max_size=80).filter(lambda t: not t.strip().upper().startswith("SSJGZ:")))
def test_anything_else_is_not_taken_for_a_notice(text):
    assert parse_notice_qr(text) is None


def test_a_damaged_code_is_not_taken_for_a_notice():
    good = NoticeRef(1, 2026, 17, "91130433MA0000001X", "ab" * 32).text
    assert parse_notice_qr(good[:-1]) is None  # a digit lost
    assert parse_notice_qr(good.replace("1-2026-17", "1-2026")) is None
    assert parse_notice_qr("SSJC:5:91130433MA0000001X") is None  # a 检查表's code, not a notice's


def test_the_text_hash_changes_with_any_word_but_not_with_the_qr_or_key_order():
    fields = {"文号": "禾市监抽告〔2026〕1号", "检查结果": "未发现问题", "后续处置": []}
    same = dict(reversed(list(fields.items())), 核验二维码="SSJGZ:…")
    assert text_hash(fields) == text_hash(same)
    assert text_hash(fields) != text_hash({**fields, "检查结果": "发现问题已责令改正"})


@given(st.text(max_size=30))
def test_a_cell_never_starts_a_formula(value):
    cell = safe_cell(value)
    assert cell[:1] not in ("=", "+", "-", "@") and cell.endswith(value)


def test_delivery_needs_a_known_method_a_plausible_date_and_a_tracking_number_by_post():
    issued, today = date(2026, 11, 30), date(2026, 12, 5)
    assert delivery_problems("直接送达", date(2026, 12, 1), "", issued, today) == []
    assert delivery_problems("邮寄送达", date(2026, 12, 1), "", issued, today) == ["邮寄送达须填写邮件号（快递单号）。"]
    assert "早于" in delivery_problems("公告送达", date(2026, 11, 1), "", issued, today)[0]
    assert "晚于今天" in delivery_problems("电子送达", date(2026, 12, 6), "", issued, today)[0]
    assert "不是送达方式" in delivery_problems("托人带去", issued, "", issued, today)[0]
