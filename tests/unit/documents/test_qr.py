"""QR codes: the fast encoder agrees with qrcode, and the PNG holds the matrix."""
from __future__ import annotations

import struct
import zlib

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode import base, util
from qrcode.constants import ERROR_CORRECT_M

from app.documents.qr import MASK_PATTERN, MODULE_PX, codewords, png_from_matrix, qr_matrix, qr_png


@pytest.mark.parametrize("payload", [
    "a", "SSJ1|馆市监抽告〔2026〕15号|91130433MA0A1B2C3D|3f2a9c1d7e5b",
    "SSJ-DRAW-1|" + "ef" * 32, "x" * 300, "验" * 200])
def test_codewords_match_qrcode(payload):
    data = payload.encode("utf-8")
    version, words = codewords(data)
    reference = util.create_data(version, ERROR_CORRECT_M,
                                 [util.QRData(data, mode=util.MODE_8BIT_BYTE)])
    assert words == reference


def _reference_matrix(payload: str) -> list[list[bool]]:
    """qrcode's own symbol for the payload, with the same version, level and mask."""
    data = payload.encode("utf-8")
    version, _ = codewords(data)
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0,
                         mask_pattern=MASK_PATTERN)
    code.add_data(util.QRData(data, mode=util.MODE_8BIT_BYTE))
    code.make(fit=False)
    return code.get_matrix()


@pytest.mark.parametrize("version", range(1, 41))
def test_every_version_places_modules_as_qrcode_does(version):
    capacity = sum(b.data_count for b in base.rs_blocks(version, ERROR_CORRECT_M))
    payload = "7" * (capacity - (2 if version < 10 else 3))  # the longest payload of this version
    assert codewords(payload.encode())[0] == version
    assert qr_matrix(payload, border=0) == _reference_matrix(payload)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=120))
def test_any_text_gives_qrcodes_own_symbol(payload):
    assert qr_matrix(payload, border=0) == _reference_matrix(payload)


def test_border_is_light():
    bordered, bare = qr_matrix("SSJ1|测试", border=2), qr_matrix("SSJ1|测试", border=0)
    assert len(bordered) == len(bare) + 4
    assert not any(bordered[0]) and not any(row[0] for row in bordered)
    assert [row[2:-2] for row in bordered[2:-2]] == bare


def _decode_png(blob: bytes) -> tuple[int, int, bytes]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(blob):
        length, kind = struct.unpack(">I4s", blob[pos:pos + 8])
        body = blob[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", blob[pos + 8 + length:pos + 12 + length])[0]
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
            assert body[8:10] == b"\x01\x00"  # 1-bit greyscale
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return size[0], size[1], zlib.decompress(idat)


def test_png_holds_the_matrix():
    matrix = qr_matrix("SSJ1|测试")
    width, height, raw = _decode_png(png_from_matrix(matrix))
    n = len(matrix)
    assert width == height == n * MODULE_PX
    stride = 1 + width // 8
    for r, row in enumerate(matrix):
        line = raw[r * MODULE_PX * stride:(r * MODULE_PX + 1) * stride]
        assert line[0] == 0  # filter: none
        assert [b == 0 for b in line[1:]] == row  # dark module = black byte


def test_finder_patterns_in_the_corners():
    m = qr_matrix("SSJ1|测试", border=0)
    for r0, c0 in ((0, 0), (0, len(m) - 7), (len(m) - 7, 0)):
        ring = [m[r0][c0 + i] for i in range(7)] + [m[r0 + 6][c0 + i] for i in range(7)]
        assert all(ring) and m[r0 + 3][c0 + 3] and not m[r0 + 1][c0 + 1]


def test_qr_png_is_small():
    assert len(qr_png("SSJ1|馆市监抽告〔2026〕15号|91130433MA0A1B2C3D|3f2a9c1d7e5b")) < 2000
