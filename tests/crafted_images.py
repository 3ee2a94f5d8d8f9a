"""Image files made by hand for tests and benchmarks: headers that declare more than they hold,
and variants Pillow cannot write.

    png_header(40_000, 1_000, bit_depth=16)   # a PNG header declaring 40 MP of 16-bit grey
    lossless_webp_header(16383, 2441)         # a lossless WebP header declaring 40 MP of RGBA
    fits_header(6000, 6000)                   # a FITS header (a format the service refuses)
    rle8_bmp(8000, 5000)                      # a real RLE8 BMP, which Pillow decodes in Python
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    """`image` saved by Pillow in `fmt`."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_header(width: int, height: int, *, bit_depth: int = 8, color_type: int = 0) -> bytes:
    """A PNG that declares width x height (grey by default) and holds no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def lossless_webp_header(width: int, height: int, *, padding: int = 1500) -> bytes:
    """A lossless WebP's header declaring an RGBA width x height, then bytes that are no image data."""
    bits = (width - 1) | (height - 1) << 14 | 1 << 28  # 14-bit sizes minus one, alpha used
    payload = b"\x2f" + bits.to_bytes(4, "little") + b"\0" * padding
    chunk = b"VP8L" + len(payload).to_bytes(4, "little") + payload
    return b"RIFF" + (4 + len(chunk)).to_bytes(4, "little") + b"WEBP" + chunk


def fits_header(width: int, height: int, *, bitpix: int = 8) -> bytes:
    """A FITS primary header for a width x height image, and one block of data."""
    cards = ["SIMPLE  =                    T", f"BITPIX  = {bitpix:20d}", "NAXIS   =                    2"]
    cards += [f"NAXIS1  = {width:20d}", f"NAXIS2  = {height:20d}", "END"]
    return "".join(card.ljust(80) for card in cards).ljust(2880).encode() + b"\0" * 2880


def rle8_bmp(width: int, height: int) -> bytes:
    """A grey BMP whose pixels are RLE8-compressed, in runs of 255 (Pillow decodes those in Python)."""
    rows = (b"\xff\x01" * (width // 255) + b"\x00\x00") * height + b"\x00\x01"
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(rows), 2835, 2835, 256, 0)
    palette = b"".join(bytes((grey, grey, grey, 0)) for grey in range(256))
    offset = 14 + len(info) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(rows), 0, 0, offset) + info + palette + rows
