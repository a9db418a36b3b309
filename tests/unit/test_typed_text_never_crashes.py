"""Text a clerk types or a scanner sends — any text, including digits int() refuses, such as “²” —
is either understood or refused in Chinese; it never raises anything else."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.domain.inspection import parse_qr
from app.domain.lan_server import DetailsError, parse_details
from app.domain.notices import parse_notice_qr
from app.tabular.dates import parse_date

DIGITISH = st.text(alphabet=st.sampled_from("0123456789²³¹⁴١٢３４:|-SJsj abcdef"), max_size=40)


@given(st.one_of(DIGITISH, st.text(max_size=60)))
@example("SSJJC:²:91330000MA0A1B2C3D")
@example("SSJGZ:１-²-3:X:" + "a" * 64)
def test_scanned_codes(text):
    found = parse_qr(text)
    assert found is None or isinstance(found[0], int)
    assert parse_notice_qr(text) is None or parse_notice_qr(text).serial >= 0


@given(st.one_of(DIGITISH, st.text(max_size=30)))
@example("²⁰²⁶¹¹³⁰")
@example("２０２６１１３０")
def test_dates(text):
    try:
        parse_date(text)
    except ValueError as exc:
        assert str(exc)


@given(DIGITISH)
@example("地址：192.168.1.10\n端口：５４³²\n用户名：ssj\n密码：x")
def test_connection_details(port_text):
    try:
        parse_details(f"地址：192.168.1.10\n端口：{port_text}\n用户名：ssj\n密码：x")
    except DetailsError as exc:
        assert "端口" in str(exc) or str(exc)


def test_full_width_digits_are_numbers():
    assert parse_qr("SSJJC:１２:913300") == (12, "913300")
    with pytest.raises(DetailsError):
        parse_details("地址：192.168.1.10\n端口：²\n用户名：ssj\n密码：x")
