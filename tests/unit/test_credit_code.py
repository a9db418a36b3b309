"""GB 32100-2015 统一社会信用代码 check and 15-digit 注册号 recognition."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.credit_code import (
    ALPHABET,
    WEIGHTS,
    CodeKind,
    compute_check_char,
    inspect_code,
    is_exact_credit_code,
    is_valid_credit_code,
    normalise_code,
)

# Codes printed on real business licences.
REAL_CODES = ["914403001922038216", "9144030071526726XG", "91330100799655058B", "91110000802100433B"]

bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def test_real_codes_pass():
    for code in REAL_CODES:
        check = inspect_code(code)
        assert check.kind is CodeKind.CREDIT_CODE and check.check_ok, code


@given(bodies)
def test_check_char_is_the_standards_formula(body):
    """The standard's own wording: C18 = 31 − MOD(Σ Ci × Wi, 31), with 31 written as 0."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    assert compute_check_char(body) == ALPHABET[(31 - total % 31) % 31]


@given(bodies)
def test_generated_codes_with_their_check_char_pass(body):
    code = body + compute_check_char(body)
    assert is_valid_credit_code(code)
    assert inspect_code(code).message is None


@given(bodies, st.integers(0, 17), st.integers(1, 30))
def test_any_single_character_change_is_detected(body, position, shift):
    code = body + compute_check_char(body)
    changed_char = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    changed = code[:position] + changed_char + code[position + 1 :]
    check = inspect_code(changed)
    assert check.kind is CodeKind.CREDIT_CODE
    assert not check.check_ok
    assert check.expected_check == compute_check_char(changed[:17])
    assert "校验位不符" in check.message and check.expected_check in check.message


@given(bodies, st.integers(0, 17), st.sampled_from("IOZSV!中"))
def test_a_character_outside_the_alphabet_is_not_a_code(body, position, bad):
    code = body + compute_check_char(body)
    check = inspect_code(code[:position] + bad + code[position + 1 :])
    assert check.kind is CodeKind.INVALID
    assert bad in check.message


def test_full_width_lower_case_and_spaces_are_normalised():
    code = REAL_CODES[1]
    typed = " " + "".join(chr(ord(c) + 0xFEE0) for c in code.lower()[:10]) + "\u3000" + code.lower()[10:]
    assert normalise_code(typed) == code
    assert inspect_code(typed).code == code and inspect_code(typed).check_ok


def test_marks_that_keep_excel_from_making_a_number_are_dropped():
    code = REAL_CODES[0]
    assert normalise_code("'" + code) == normalise_code(f'="{code}"') == normalise_code(f"\t{code}") == code


def test_fifteen_digits_are_a_registration_number():
    check = inspect_code("460100000123456")
    assert check.kind is CodeKind.REGISTRATION_NO and check.code == "460100000123456"


def test_wrong_length_says_how_long_it_is():
    check = inspect_code("91440300192203821")
    assert check.kind is CodeKind.INVALID and "17位" in check.message
    assert inspect_code("").kind is CodeKind.INVALID
    assert inspect_code("46010000012345X").kind is CodeKind.INVALID


def test_check_char_rejects_a_bad_body():
    import pytest

    with pytest.raises(ValueError, match="I"):
        compute_check_char("9144030019220382I")
    with pytest.raises(ValueError):
        compute_check_char("914403")


@given(bodies, st.integers(0, 17), st.integers(0, 30))
def test_exact_check_agrees_with_inspection(body, position, shift):
    code = body + compute_check_char(body)
    changed = code[:position] + ALPHABET[(ALPHABET.index(code[position]) + shift) % 31] + code[position + 1 :]
    assert is_exact_credit_code(changed) == is_valid_credit_code(changed) == (shift == 0)
    if code.lower() != code:
        assert is_valid_credit_code(code.lower()) and not is_exact_credit_code(code.lower())


@given(st.text(alphabet=ALPHABET + "IOSVZabc ０Ａ-é\u3000", min_size=16, max_size=19))
def test_exact_check_is_exactly_a_normalised_valid_code(text):
    check = inspect_code(text)
    expected = check.kind is CodeKind.CREDIT_CODE and check.check_ok and check.code == text
    assert is_exact_credit_code(text) == expected
