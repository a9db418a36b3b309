"""QR codes as small 1-bit PNGs, without Pillow, fast enough for 1,000-notice batches.

The qrcode package only needs Pillow or pypng to write images; neither is a
dependency, and a 1-bit PNG is a few lines of zlib.  qrcode's per-code steps
are pure-Python loops that dominate a batch, so three are done here instead:
Reed–Solomon coding (the remainder kept as one integer, a table lookup per
data byte), version fitting (a byte-mode segment's length is arithmetic) and
module placement.  Placement is the same for every code of one version, so
qrcode lays out each version once (function patterns, format and version
information) and the zig-zag order of its data modules is remembered; a code
is then that blank plus its data bits written at the remembered places.

The mask pattern is fixed: qrcode's search for the best of the eight masks
costs ~15 ms a code (15 s for a 1,000-notice batch) while any mask decodes
correctly; the penalty search only trims rare finder-like artefacts, and the
code is printed large (≥ 22 mm, ~0.5 mm a module) with error correction M.
Printed codes are checked with zbarimg on 150 dpi rasters of LibreOffice
output (tests/unit/documents/test_pdf.py), and every version's placement is
compared with qrcode's own (tests/unit/documents/test_qr.py).
"""
from __future__ import annotations

import operator
import struct
import zlib

import qrcode
from qrcode import base, util
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


def _generator_logs(n: int) -> list[int]:
    """log α of the coefficients 1..n of ∏(x − α^i), i < n (leading 1 omitted)."""
    poly = [1]
    for i in range(n):
        nxt = poly + [0]
        for j, c in enumerate(poly):
            if c:
                nxt[j + 1] ^= _EXP[_LOG[c] + i]
        poly = nxt
    return [_LOG[c] for c in poly[1:]]


_REMAINDER_TABLES: dict[int, list[int]] = {}


def _remainder_table(n: int) -> list[int]:
    """For each leading factor f, f × generator(n) as one n-byte integer."""
    if n not in _REMAINDER_TABLES:
        gen = _generator_logs(n)
        table = [0] * 256
        for factor in range(1, 256):
            lf = _LOG[factor]
            table[factor] = int.from_bytes(bytes(_EXP[lf + g] for g in gen), "big")
        _REMAINDER_TABLES[n] = table
    return _REMAINDER_TABLES[n]


def _ecc(data: list[int], n: int) -> list[int]:
    """The n error-correction codewords of one block: the remainder of data·x^n ÷ generator."""
    table = _remainder_table(n)
    shift, keep = 8 * (n - 1), (1 << 8 * n) - 1
    rem = 0
    for byte in data:
        rem = ((rem << 8) & keep) ^ table[byte ^ (rem >> shift)]
    return list(rem.to_bytes(n, "big"))


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


class _Layout(qrcode.QRCode):
    """One version's symbol without data (mask MASK_PATTERN) and where its data bits go.

    ``pick`` takes, for every module row by row, either a data bit (its index in placement
    order) or a fixed module (the two constants after the data bits): ``bytes(pick(bits +
    b"\\x00\\x01"))`` is the whole symbol, one byte per module, in one C call.
    """

    def __init__(self, version: int):
        super().__init__(version=version, error_correction=ERROR_CORRECTION, border=0,
                         mask_pattern=MASK_PATTERN)
        self.data_cache = []
        self.makeImpl(False, MASK_PATTERN)  # calls map_data, which only records places here
        size = self.modules_count
        n = len(self.places)
        index = [n + 1 if m else n for row in self.modules for m in row]
        for k, (r, c) in enumerate(self.places):
            index[r * size + c] = k
        self.pick = operator.itemgetter(*index)
        self.mask = int("".join("1" if m else "0" for m in self.mask_bits), 2)

    def map_data(self, data, mask_pattern):
        """Record the data modules in qrcode's placement order and the mask bit of each."""
        masked = util.mask_func(mask_pattern)
        size = self.modules_count
        self.places: list[tuple[int, int]] = []
        self.mask_bits: list[bool] = []
        upward = True
        for col in range(size - 1, 0, -2):
            if col <= 6:
                col -= 1  # skip the vertical timing pattern
            for row in (range(size - 1, -1, -1) if upward else range(size)):
                for c in (col, col - 1):
                    if self.modules[row][c] is None:
                        self.places.append((row, c))
                        self.mask_bits.append(bool(masked(row, c)))
                        self.modules[row][c] = False
            upward = not upward

    def symbol(self, data: list[int]) -> bytes:
        """The modules row by row, 1 = dark; bits past the codewords are remainder bits (0)."""
        n = len(self.places)
        bits = int.from_bytes(bytes(data), "big") << (n - 8 * len(data)) ^ self.mask
        return bytes(self.pick(format(bits, f"0{n}b").encode().translate(_BIT_BYTES) + b"\x00\x01"))


_BIT_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_LAYOUTS: dict[int, _Layout] = {}


def _symbol(payload: str) -> tuple[int, bytes]:
    """(modules a side, the modules row by row with 1 = dark)."""
    version, data = codewords(payload.encode("utf-8"))
    if version not in _LAYOUTS:
        _LAYOUTS[version] = _Layout(version)
    return 4 * version + 17, _LAYOUTS[version].symbol(data)


def qr_matrix(payload: str, border: int = 2) -> list[list[bool]]:
    """The symbol's modules (True = dark), with ``border`` light modules around it."""
    size, flat = _symbol(payload)
    edge = [False] * border
    light = [[False] * (size + 2 * border) for _ in range(border)]
    return light + [edge + [m == 1 for m in flat[r * size:(r + 1) * size]] + edge
                    for r in range(size)] + [row[:] for row in light]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


_PIXEL_BYTES = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # light module → white byte, dark → black


def _png(size: int, rows: list[bytes]) -> bytes:
    """A 1-bit greyscale PNG of ``size`` modules a side from rows of module bytes (1 = dark)."""
    pixels = size * MODULE_PX
    raw = b"".join((b"\x00" + row.translate(_PIXEL_BYTES)) * MODULE_PX for row in rows)
    dpi_per_metre = round(300 / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", pixels, pixels, 1, 0, 0, 0, 0))
            + _chunk(b"pHYs", struct.pack(">IIB", dpi_per_metre, dpi_per_metre, 1))
            + _chunk(b"IDAT", zlib.compress(raw, 1))
            + _chunk(b"IEND", b""))


def png_from_matrix(matrix: list[list[bool]]) -> bytes:
    """Encode a module matrix (True = dark) as a 1-bit greyscale PNG, MODULE_PX per module.

    With 8 pixels a module, each module is exactly one byte of a 1-bit row.
    """
    return _png(len(matrix), [bytes(row) for row in matrix])


def qr_png(payload: str, border: int = 2) -> bytes:
    """The PNG of a QR code for ``payload`` (UTF-8, byte mode, level M)."""
    size, flat = _symbol(payload)
    edge = b"\x00" * border
    light = [b"\x00" * (size + 2 * border)] * border
    rows = [edge + flat[r * size:(r + 1) * size] + edge for r in range(size)]
    return _png(size + 2 * border, light + rows + light)
