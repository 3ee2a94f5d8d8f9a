"""Photo in, pixel grid out: the whole `/pixelate` path, shared with training and the CLI.

    grid = pixelate_photo(jpeg_bytes, boxes=40)                  # exact, as training uses
    grid = pixelate_photo(jpeg_bytes, boxes=40, fast=True)       # JPEG decoded at reduced size

Open (header only, size-checked) -> first frame, EXIF orientation, transparency on white,
grayscale or RGB -> AbsCenterCrop -> `pixelate`. `fast` lets a JPEG decode at the smallest
DCT scale whose square is at least twice the grid; the grid then differs from the exact one
by about a grey level (see benchmarks/pixelate_endpoint.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np

from model.images import decode_square, open_image
from model.pixelate import pixelate


def pixelate_photo(
    source: bytes | str | Path | BinaryIO,
    boxes: int = 40,
    *,
    color: bool = False,
    max_pixels: int | None = None,
    fast: bool = False,
) -> np.ndarray:
    """Return the (boxes, boxes) grid (or (boxes, boxes, 3) when `color`) of a photo, in [0, 1].

    Raises the `model.errors.ImageError` subclasses for unusable input.
    """
    image = open_image(source, max_pixels=max_pixels)
    square = decode_square(image, color=color, min_side=2 * boxes if fast else None)
    return pixelate(square, boxes, color=color)
