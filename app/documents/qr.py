"""QR codes as small 1-bit PNGs, without Pillow.

The qrcode package only needs Pillow or pypng to write images; neither is a
dependency, and a 1-bit PNG is thirty lines of zlib.  The mask pattern is
fixed: qrcode's search for the best of the eight masks costs ~15 ms a code
(15 s for a 1,000-notice batch) while any mask decodes correctly; the
penalty search only trims rare finder-like artefacts, and the code is printed
large (≥ 22 mm, ~0.6 mm a module) with error correction level M.
"""
from __future__ import annotations

import struct
import zlib

import qrcode
from qrcode.constants import ERROR_CORRECT_M

#: pixels per module: sharp when Word or WPS scales the picture up for print.
MODULE_PX = 8
#: qrcode mask pattern used for every code (see module docstring).
MASK_PATTERN = 2


def qr_matrix(payload: str, border: int = 2) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border,
                         mask_pattern=MASK_PATTERN)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return code.get_matrix()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_from_matrix(matrix: list[list[bool]], module_px: int = MODULE_PX) -> bytes:
    """Encode a module matrix (True = dark) as a 1-bit greyscale PNG."""
    size = len(matrix) * module_px
    row_bytes = (size + 7) // 8
    pad = row_bytes * 8 - size
    raw = bytearray()
    for row in matrix:
        # dark = 0 (black) in greyscale; each module widened to module_px bits
        bits = "".join(("0" if dark else "1") * module_px for dark in row) + "0" * pad
        line = b"\x00" + int(bits, 2).to_bytes(row_bytes, "big")
        raw += line * module_px
    dpi_per_metre = round(300 / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0))
            + _chunk(b"pHYs", struct.pack(">IIB", dpi_per_metre, dpi_per_metre, 1))
            + _chunk(b"IDAT", zlib.compress(bytes(raw), 6))
            + _chunk(b"IEND", b""))


def qr_png(payload: str) -> bytes:
    """The PNG of a QR code for ``payload`` (UTF-8, byte mode, level M)."""
    return png_from_matrix(qr_matrix(payload))
