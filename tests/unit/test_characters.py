"""Which characters a name, code or address may hold (app/domain/characters.py)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.domain.characters import describe, forbidden_character, has_breaks, visible, without_breaks

FORBIDDEN = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
                              0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFF9, 0xFFFA,
                              0xFFFB, 0xFFFE, 0xFFFF]}


def test_the_characters_of_the_issue_are_named():
    assert forbidden_character("甲\x00商店") == "空字符（NUL，U+0000）"
    assert forbidden_character("乙\x01") == "控制字符（U+0001）"
    assert forbidden_character("\x1b[31m") == "转义符（ESC，U+001B）"
    assert forbidden_character("\u202e店商丁") == "从右到左强制符（RLO，U+202E）"


def test_names_as_offices_write_them_pass():
    for name in ("青禾县万家家具厂", "😀快乐小吃店", "👨\u200d👩\u200d👧亲子乐园", "Ａ＆Ｂ　商行", "张三\n李四", "A\tB"):
        assert forbidden_character(name) is None


@given(st.text())
def test_a_value_is_refused_exactly_when_it_holds_a_forbidden_character(value):
    found = forbidden_character(value)
    bad = [ch for ch in value if ch in FORBIDDEN or unicodedata.category(ch) == "Cs"]
    assert (found is None) == (not bad)
    if bad:
        assert found == describe(bad[0])


@given(st.text())
def test_visible_text_holds_nothing_forbidden(value):
    assert forbidden_character(visible(value)) is None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_one_line_text_has_no_breaks_left(value):
    assert not has_breaks(without_breaks(value))


def test_a_break_between_latin_words_becomes_a_space_and_between_chinese_nothing():
    assert without_breaks("甲商店\n（分店）") == "甲商店（分店）"
    assert without_breaks("Green\r\nValley") == "Green Valley"
