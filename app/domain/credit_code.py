"""统一社会信用代码 (GB 32100-2015) and the older 15-digit 工商注册号.

A subject is identified by its 18-character credit code; 个体工商户 registered before the
reform may only have a 15-digit 注册号. Clerks copy codes from paper and from other
systems, so input arrives with full-width characters, lower case and stray spaces: those
are normalised silently. A wrong check character is reported as a warning by the importer
(the code may still be the one on the licence), while a value that cannot be a code at all
is an error, because the code is the key the directory is upserted by.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # as printed in the standard
_VALID = frozenset(ALPHABET)
_ALPHABET_BYTES = ALPHABET.encode("ascii")
# The weights are 3**i mod 31 and 34 ≡ 3 (mod 31), so the weighted sum is, mod 31, the
# body read backwards as a base-34 number whose digits are the characters' values: one
# int() call in C instead of seventeen multiplications in Python (the importer's hot path).
_BASE34_DIGITS = bytes.maketrans(ALPHABET.encode(), b"0123456789abcdefghijklmnopqrstu")

# Full-width ASCII (as typed with a Chinese input method) to half-width; spaces dropped.
_NORMALISE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_NORMALISE.update({0x3000: None, 0x20: None, 0xA0: None, 0x09: None})


class CodeKind(enum.Enum):
    CREDIT_CODE = "credit_code"
    REGISTRATION_NO = "registration_no"
    INVALID = "invalid"


class CodeCheck(NamedTuple):
    """Result of looking at one identifier as written in a file.

    ``code`` is the normalised text. ``check_ok`` is only meaningful for credit codes;
    ``expected_check`` then holds the check character GB 32100-2015 requires.
    ``message`` explains, in Chinese, what is wrong (None when nothing is).
    """

    kind: CodeKind
    code: str
    check_ok: bool
    expected_check: str | None = None
    message: str | None = None


def normalise_code(text: str) -> str:
    """Upper-case, half-width, without spaces, and without the marks other systems put
    around a code to stop Excel turning it into a number ('9144…, ="9144…")."""
    if text.isascii() and text.isalnum():  # the usual case, without the translation
        return text.upper()
    code = text.translate(_NORMALISE).upper()
    if code.startswith('="') and code.endswith('"'):
        return code[2:-1]
    return code.removeprefix("'")


def compute_check_char(body: str) -> str:
    """The 18th character for the first 17 characters ``body`` (already normalised)."""
    if len(body) != 17:
        raise ValueError("统一社会信用代码的本体应为17位")
    if not _VALID.issuperset(body):
        bad = next(ch for ch in body if ch not in _VALID)
        raise ValueError(f"统一社会信用代码中不能出现字符“{bad}”")
    return _check_char(body)


def _check_char(code: str) -> str:
    """The check character for the first 17 characters of ``code``, already known to be valid."""
    return ALPHABET[-int(code.encode("ascii")[16::-1].translate(_BASE34_DIGITS), 34) % 31]


def is_valid_credit_code(text: str) -> bool:
    """True when ``text`` is a credit code with the right check character (once normalised)."""
    check = inspect_code(text)
    return check.kind is CodeKind.CREDIT_CODE and check.check_ok


def is_exact_credit_code(code: str) -> bool:
    """True when ``code`` is already a normalised, correct credit code: the cheap test an
    importer makes on every row before falling back to ``inspect_code``.  (Deleting the
    alphabet's bytes leaves nothing exactly when every character is in it.)"""
    if len(code) != 18 or not code.isascii():
        return False
    raw = code.encode("ascii")
    return not raw.translate(None, _ALPHABET_BYTES) and \
        ALPHABET[-int(raw[16::-1].translate(_BASE34_DIGITS), 34) % 31] == code[17]


def inspect_code(text: str) -> CodeCheck:
    """Classify ``text`` as a credit code, a 15-digit 注册号, or neither."""
    code = normalise_code(text)
    if len(code) == 15 and code.isascii() and code.isdigit():
        return CodeCheck(CodeKind.REGISTRATION_NO, code, True)
    if len(code) != 18:
        return CodeCheck(
            CodeKind.INVALID,
            code,
            False,
            message=f"统一社会信用代码应为18位（或15位注册号），这里是{len(code)}位",
        )
    if not _VALID.issuperset(code):
        bad = [ch for ch in code if ch not in _VALID]
        shown = "、".join(dict.fromkeys(bad))
        return CodeCheck(
            CodeKind.INVALID,
            code,
            False,
            message=f"统一社会信用代码中不能出现“{shown}”（只用数字和除 I、O、Z、S、V 以外的大写字母）",
        )
    expected = compute_check_char(code[:17])
    if code[17] != expected:
        return CodeCheck(
            CodeKind.CREDIT_CODE,
            code,
            False,
            expected,
            f"统一社会信用代码校验位不符：按 GB 32100-2015 第18位应为“{expected}”，请核对是否抄错",
        )
    return CodeCheck(CodeKind.CREDIT_CODE, code, True, expected)
