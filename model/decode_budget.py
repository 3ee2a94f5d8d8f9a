"""What decoding an image will cost in memory, known from its header before a pixel is decoded.

    cost = decode_cost(image, "L")                          # bytes held at the peak of decoding
    check_decode_budget(image, "L", max_bytes=96 * 2**20)   # ImageTooLargeError when over
    size = webp_canvas_size(head)                           # (w, h) from a WebP's first 30 bytes

A file's size says little about its cost: a 1.6 KB lossless WebP can declare 40 megapixels
of RGBA, a 90 KB PNG 40 megapixels of 16-bit grey. What decoding holds at its peak is the
decoded pixels (Pillow stores 1, 2 or 4 bytes a pixel, by mode), the format's own buffers,
and `model.images`' converted copy; each is pixels times bytes a pixel, all read from the
header. The per-format figures below are ceilings of what benchmarks/upload_memory.py
measures (peak RSS growth of a worker over pixels), rounded up.

libwebp allocates its canvases when the file is opened, not when it is decoded, so a WebP's
cost is checked from the header bytes before Pillow opens it (`webp_canvas_size`).
"""

from __future__ import annotations

import struct

from PIL import Image
from pixelgan.model.errors import ImageTooLargeError

# Bytes a pixel that a format's decoder holds beside the decoded image. WebP goes through
# libwebp's animation decoder: two RGBA canvases, and the frame copied into Python bytes
# before Pillow reads it. TIFF holds one strip or tile (counted apart, from its tags); the
# others decode row by row into the image itself.
DECODER_BYTES_PER_PIXEL = {"WEBP": 10}
# Bytes a pixel held after decoding, by the output mode: the converted image (Pillow keeps
# "RGB" in 4 bytes), the square cropped from it, and the square as a numpy array.
CONVERTED_BYTES_PER_PIXEL = {"L": 3, "RGB": 7}
# Fixed working memory: the conversion's bands, libjpeg's and zlib's state.
FIXED_BYTES = 8 * 2**20


def stored_bytes_per_pixel(mode: str) -> int:
    """Bytes Pillow keeps a pixel in for `mode`: 1 (1, L, P), 2 (16-bit grey) or 4 (the rest)."""
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def decode_cost(image: Image.Image, target_mode: str) -> int:
    """Bytes held at the peak of decoding `image` (opened, not loaded) and converting it to `target_mode`.

    Call after any `draft`, which changes the size the decoder produces.
    """
    width, height = image.size
    pixels = width * height
    per_pixel = (
        stored_bytes_per_pixel(image.mode)
        + DECODER_BYTES_PER_PIXEL.get(image.format or "", 0)
        + CONVERTED_BYTES_PER_PIXEL[target_mode]
    )
    return pixels * per_pixel + _tiff_buffer_bytes(image) + FIXED_BYTES


def check_decode_budget(image: Image.Image, target_mode: str, max_bytes: int | None) -> None:
    """Raise ImageTooLargeError when decoding `image` would hold more than `max_bytes`."""
    if max_bytes is None:
        return
    cost = decode_cost(image, target_mode)
    if cost > max_bytes:
        raise_over_budget(image.size, image.format, image.mode, cost, max_bytes)


def raise_over_budget(size: tuple[int, int], fmt: str | None, mode: str, cost: int, max_bytes: int) -> None:
    width, height = size
    raise ImageTooLargeError(
        f"decoding this {width}x{height} {fmt or ''} image ({mode}) would take about {cost / 2**20:.0f} MiB "
        f"of memory, over the limit of {max_bytes / 2**20:.0f} MiB per upload; send fewer pixels "
        "(or an 8-bit JPEG, which decodes at reduced size)"
    )


def check_webp_budget(head: bytes, max_bytes: int | None) -> None:
    """Refuse a WebP from its header alone when its canvas is over budget (libwebp allocates on open)."""
    size = webp_canvas_size(head)
    if max_bytes is None or size is None:
        return
    # Pillow opens every WebP as RGB(X) or RGBA: four bytes a pixel, and grey at the cheapest.
    cost = size[0] * size[1] * (4 + DECODER_BYTES_PER_PIXEL["WEBP"] + CONVERTED_BYTES_PER_PIXEL["L"]) + FIXED_BYTES
    if cost > max_bytes:
        raise_over_budget(size, "WEBP", "RGB or RGBA", cost, max_bytes)


def webp_canvas_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) a WebP declares in its first 30 bytes; None when `head` is not a WebP.

    Extended files (VP8X) give the canvas as 24-bit sizes minus one; simple lossy (VP8 ) and
    lossless (VP8L) files give their one frame's 14-bit sizes.
    """
    if len(head) < 30 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L" and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def _tiff_buffer_bytes(image: Image.Image) -> int:
    """The strip or tile buffer libtiff allocates for a TIFF, from its tags; 0 for other formats.

    A tile may be declared far larger than the image, and libtiff allocates it whole.
    """
    tags = getattr(image, "tag_v2", None)
    if image.format != "TIFF" or tags is None:
        return 0
    width, height = image.size
    tile_width, tile_height = _tag_int(tags, 322), _tag_int(tags, 323)  # TileWidth, TileLength
    if tile_width and tile_height:
        area = tile_width * tile_height
    else:
        rows = _tag_int(tags, 278) or height  # RowsPerStrip: libtiff clamps it to the height
        area = width * min(rows, height)
    # Up to four bytes a pixel, and JPEG-in-TIFF decodes through an RGBA buffer of its own.
    return area * 8


def _tag_int(tags: object, tag: int) -> int:
    """A TIFF tag as a whole number; 0 when it is missing or not a number (libtiff then refuses the file)."""
    value = tags.get(tag)  # type: ignore[attr-defined]
    if isinstance(value, tuple):
        value = value[0] if value else 0
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0
