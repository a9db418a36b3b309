"""Connection details travel as text and as a QR address; the office subnet the server admits."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.lan_server import (
    PASSWORD_ALPHABET,
    ConnectionDetails,
    DetailsError,
    generate_password,
    hba_lines,
    listen_address,
    office_subnet,
    parse_details,
)

hosts = st.builds(lambda n: str(ipaddress.IPv4Address(n)), st.integers(0x0A000001, 0xDFFFFFFE))
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                max_size=20).map(str.strip).filter(bool)
details = st.builds(ConnectionDetails, hosts, st.integers(1, 65535), names, names, names)


@given(details)
def test_the_qr_address_reads_back_as_the_same_details(d):
    assert parse_details(d.as_address()) == d


@given(st.builds(ConnectionDetails, hosts, st.integers(1, 65535), names, names,
                 st.text(PASSWORD_ALPHABET, min_size=1, max_size=30)))
def test_the_shown_text_reads_back_as_the_same_details(d):
    assert parse_details(d.as_text()) == d


def test_typed_details_with_half_width_colons_english_keys_and_defaults():
    typed = "地址: 192.168.1.10\nuser = shuangsuiji\n密码:Abc23\n"
    assert parse_details(typed) == ConnectionDetails("192.168.1.10", 5432, "shuangsuiji", "shuangsuiji", "Abc23")


@pytest.mark.parametrize("text, message", [
    ("", "没有填写"),
    ("地址：192.168.1.10\n用户名：a", "缺少：密码"),
    ("地址：192.168.1.10\n端口：八十\n用户名：a\n密码：b", "端口"),
    ("postgresql://192.168.1.10/shuangsuiji", "缺少服务器、用户名或密码"),
])
def test_incomplete_details_say_what_is_missing(text, message):
    with pytest.raises(DetailsError, match=message):
        parse_details(text)


@given(st.integers(0x0A000001, 0xDFFFFFFE).map(ipaddress.IPv4Address))
def test_the_office_subnet_holds_the_server_and_is_a_slash_24(address):
    subnet = office_subnet(address)
    if address.is_loopback:
        assert subnet is None
    else:
        assert address in subnet and subnet.prefixlen == 24


def test_pg_hba_admits_loopback_for_all_and_the_subnet_for_the_program_role_only():
    lines = hba_lines(ipaddress.IPv4Network("192.168.1.0/24"), "shuangsuiji", "shuangsuiji")
    rules = [line.split() for line in lines if not line.startswith("#")]
    assert ["host", "all", "all", "127.0.0.1/32", "scram-sha-256"] in rules
    assert ["host", "shuangsuiji", "shuangsuiji", "192.168.1.0/24", "scram-sha-256"] in rules
    assert all(rule[-1] == "scram-sha-256" for rule in rules)
    assert not any(rule[3] in ("0.0.0.0/0", "all") for rule in rules)
    assert len(hba_lines(None, "shuangsuiji", "shuangsuiji")) == len(lines) - 1


@pytest.mark.parametrize("text", ["0.0.0.0", "192.168.1.255", "224.0.0.1", "192.168.1", "本机"])
def test_addresses_a_server_cannot_listen_on_are_refused_in_chinese(text):
    with pytest.raises(DetailsError, match="地址"):
        listen_address(text)


def test_generated_passwords_are_long_unambiguous_and_different():
    passwords = {generate_password() for _ in range(200)}
    assert len(passwords) == 200
    assert all(len(p) == 20 and not set(p) & set("0O1lI") for p in passwords)
