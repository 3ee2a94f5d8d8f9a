"""Mutated image files for fuzzing uploads: small valid files of every accepted format and mode,
then bits flipped, bytes overwritten, spans cut, copied or inserted, header numbers made huge.

    for name, data in mutated_uploads(count=3000, seed=0): ...   # the same files on every run

Used by tests/test_upload_fuzz.py (a few thousand cases) and benchmarks/upload_fuzz.py (as many
as asked). Case i depends only on (seed, i), so a failure is reproduced from its name.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from functools import cache

from PIL import Image

from tests.conftest import photo_bytes
from tests.crafted_images import encoded

# Numbers that make parsers take edge paths when written over a header field.
INTERESTING = (0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)


def _animated(fmt: str, **options: object) -> bytes:
    frames = [Image.new("L", (48, 40), grey) for grey in (0, 128, 255)]
    return encoded(frames[0], fmt, save_all=True, append_images=frames[1:], **options)


@cache
def seed_files() -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of small valid files: each accepted format in its common modes and options."""
    size = (64, 48)
    files = {
        "jpeg-rgb": photo_bytes(size, fmt="JPEG"),
        "jpeg-grey": photo_bytes(size, mode="L", fmt="JPEG"),
        "jpeg-cmyk": photo_bytes(size, mode="CMYK", fmt="JPEG"),
        "jpeg-progressive": photo_bytes(size, fmt="JPEG", progressive=True),
        "png-rgb": photo_bytes(size, fmt="PNG"),
        "png-rgba": photo_bytes(size, mode="RGBA", fmt="PNG"),
        "png-palette": photo_bytes(size, mode="P", fmt="PNG", transparency=0),
        "png-16bit": photo_bytes(size, mode="I;16", fmt="PNG"),
        "png-1bit": photo_bytes(size, mode="1", fmt="PNG"),
        "png-interlaced": photo_bytes(size, fmt="PNG", interlace=True),
        "png-animated": _animated("PNG"),
        "gif": photo_bytes(size, mode="P", fmt="GIF"),
        "gif-animated": _animated("GIF"),
        "webp-lossy": photo_bytes(size, fmt="WEBP", quality=50),
        "webp-lossless-rgba": photo_bytes(size, mode="RGBA", fmt="WEBP", lossless=True),
        "webp-animated": _animated("WEBP"),
        "bmp-rgb": photo_bytes(size, fmt="BMP"),
        "bmp-palette": photo_bytes(size, mode="P", fmt="BMP"),
        "bmp-1bit": photo_bytes(size, mode="1", fmt="BMP"),
        "tiff-rgb": photo_bytes(size, fmt="TIFF"),
        "tiff-deflate": photo_bytes(size, fmt="TIFF", compression="tiff_deflate"),
        "tiff-jpeg": photo_bytes(size, fmt="TIFF", compression="jpeg"),
        "tiff-16bit": photo_bytes(size, mode="I;16", fmt="TIFF"),
        "tiff-int32": photo_bytes(size, mode="I", fmt="TIFF"),
        "tiff-float": photo_bytes(size, mode="F", fmt="TIFF"),
        "tiff-cmyk": photo_bytes(size, mode="CMYK", fmt="TIFF"),
        "ppm-rgb": photo_bytes(size, fmt="PPM"),
        "pgm-grey": photo_bytes(size, mode="L", fmt="PPM"),
        "pgm-16bit": photo_bytes(size, mode="I;16", fmt="PPM"),
        "pbm-1bit": photo_bytes(size, mode="1", fmt="PPM"),
    }
    return tuple(files.items())


def _corrupt_bytes(data: bytearray, rng: random.Random) -> None:
    """A few bits flipped, or a few bytes set to values parsers treat specially."""
    flip = rng.random() < 0.5
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(data))
        data[at] = (
            data[at] ^ 1 << rng.randrange(8) if flip else rng.choice((0x00, 0xFF, 0x7F, 0x80, rng.randrange(256)))
        )


def _header_number(data: bytearray, rng: random.Random) -> None:
    """A 2- or 4-byte number in the first 64 bytes (where sizes, depths and offsets live) made extreme."""
    width = rng.choice((2, 4))
    at = rng.randrange(max(1, min(len(data), 64) - width))
    value = rng.choice(INTERESTING) & (0xFFFF if width == 2 else 0xFFFFFFFF)
    data[at : at + width] = value.to_bytes(width, rng.choice(("big", "little")))


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randint(1, len(data)) :]


def _delete_span(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    del data[start : start + rng.randint(1, 64)]


def _copy_span(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    span = data[start : start + rng.randint(1, 256)]
    at = rng.randrange(len(data))
    data[at:at] = span


def _insert_random(data: bytearray, rng: random.Random) -> None:
    at = rng.randrange(len(data))
    data[at:at] = rng.randbytes(rng.randint(1, 32))


MUTATIONS: tuple[Callable[[bytearray, random.Random], None], ...] = (
    _corrupt_bytes,
    _header_number,
    _truncate,
    _delete_span,
    _copy_span,
    _insert_random,
)


def mutated(data: bytes, rng: random.Random) -> bytes:
    """`data` after one to three mutations drawn from `rng`."""
    out = bytearray(data)
    for mutation in rng.choices(MUTATIONS, k=rng.randint(1, 3)):
        if out:
            mutation(out, rng)
    return bytes(out)


def mutated_uploads(count: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """`count` mutated files, going round the seed files; case i's name says how to rebuild it."""
    files = seed_files()
    for index in range(count):
        name, data = files[index % len(files)]
        yield f"{name}#{seed}:{index}", mutated(data, random.Random(f"{seed}:{index}"))
