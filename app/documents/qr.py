"""QR codes as small 1-bit PNGs, without Pillow, fast enough for 1,000-notice batches.

The qrcode package only needs Pillow or pypng to write images; neither is a
dependency, and a 1-bit PNG is a few lines of zlib.  Two of qrcode's steps
dominate a batch and are done here instead: Reed–Solomon coding (its
polynomial class allocates a list per step; a table-driven remainder is ~20×
faster) and version fitting (a byte-mode segment's length is arithmetic).
Module placement and format information remain qrcode's.

The mask pattern is fixed: qrcode's search for the best of the eight masks
costs ~15 ms a code (15 s for a 1,000-notice batch) while any mask decodes
correctly; the penalty search only trims rare finder-like artefacts, and the
code is printed large (≥ 22 mm, ~0.5 mm a module) with error correction M.
Printed codes are checked with zbarimg on 150 dpi rasters of LibreOffice
output (tests/unit/documents/test_pdf.py).
"""
from __future__ import annotations

import struct
import zlib

import qrcode
from qrcode import base
from qrcode.constants import ERROR_CORRECT_M

#: pixels per module: one byte of an 8-bit row per module, sharp when scaled for print.
MODULE_PX = 8
#: qrcode mask pattern used for every code (see module docstring).
MASK_PATTERN = 2
ERROR_CORRECTION = ERROR_CORRECT_M

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]
_GENERATORS: dict[int, list[int]] = {}


def _generator_logs(n: int) -> list[int]:
    """log α of the coefficients 1..n of ∏(x − α^i), i < n (leading 1 omitted)."""
    if n not in _GENERATORS:
        poly = [1]
        for i in range(n):
            nxt = poly + [0]
            for j, c in enumerate(poly):
                if c:
                    nxt[j + 1] ^= _EXP[_LOG[c] + i]
            poly = nxt
        _GENERATORS[n] = [_LOG[c] for c in poly[1:]]
    return _GENERATORS[n]


def _ecc(data: list[int], n: int) -> list[int]:
    gen = _generator_logs(n)
    rem = [0] * n
    for byte in data:
        factor = byte ^ rem[0]
        del rem[0]
        rem.append(0)
        if factor:
            lf = _LOG[factor]
            for i, g in enumerate(gen):
                rem[i] ^= _EXP[lf + g]
    return rem


def _fit(payload: bytes) -> tuple[int, list[base.RSBlock]]:
    for version in range(1, 41):
        blocks = base.rs_blocks(version, ERROR_CORRECTION)
        bits = 4 + (8 if version < 10 else 16) + 8 * len(payload)
        if bits <= 8 * sum(b.data_count for b in blocks):
            return version, blocks
    raise ValueError("二维码内容过长。")


def codewords(payload: bytes) -> tuple[int, list[int]]:
    """(version, interleaved data + ECC codewords) for one byte-mode segment."""
    version, blocks = _fit(payload)
    count_bits = 8 if version < 10 else 16
    capacity = sum(b.data_count for b in blocks)
    value = (0b0100 << count_bits | len(payload)) << 8 * len(payload) | int.from_bytes(payload, "big")
    nbits = 4 + count_bits + 8 * len(payload)
    term = min(4, capacity * 8 - nbits)
    value, nbits = value << term, nbits + term
    pad = -nbits % 8
    data = list((value << pad).to_bytes((nbits + pad) // 8, "big"))
    data += [0xEC, 0x11] * ((capacity - len(data)) // 2 + 1)
    data = data[:capacity]
    dc, ec, offset = [], [], 0
    for block in blocks:
        chunk = data[offset:offset + block.data_count]
        offset += block.data_count
        dc.append(chunk)
        ec.append(_ecc(chunk, block.total_count - block.data_count))
    out = [blk[i] for i in range(max(map(len, dc))) for blk in dc if i < len(blk)]
    out += [blk[i] for i in range(max(map(len, ec))) for blk in ec if i < len(blk)]
    return version, out


def qr_matrix(payload: str, border: int = 2) -> list[list[bool]]:
    version, data = codewords(payload.encode("utf-8"))
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECTION, border=border,
                         mask_pattern=MASK_PATTERN)
    code.data_cache = data
    code.make(fit=False)
    return code.get_matrix()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_from_matrix(matrix: list[list[bool]]) -> bytes:
    """Encode a module matrix (True = dark) as a 1-bit greyscale PNG, MODULE_PX per module.

    With 8 pixels a module, each module is exactly one byte of a 1-bit row.
    """
    size = len(matrix) * MODULE_PX
    raw = bytearray()
    for row in matrix:
        line = b"\x00" + bytes(0 if dark else 0xFF for dark in row)
        raw += line * MODULE_PX
    dpi_per_metre = round(300 / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0))
            + _chunk(b"pHYs", struct.pack(">IIB", dpi_per_metre, dpi_per_metre, 1))
            + _chunk(b"IDAT", zlib.compress(bytes(raw), 1))
            + _chunk(b"IEND", b""))


def qr_png(payload: str) -> bytes:
    """The PNG of a QR code for ``payload`` (UTF-8, byte mode, level M)."""
    return png_from_matrix(qr_matrix(payload))
