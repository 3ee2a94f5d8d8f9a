"""Photo in, pixel grid out: the whole `/pixelate` path, shared with training and the CLI.

    grid = pixelate_photo(jpeg_bytes, boxes=40)                  # exact, as training uses
    grid = pixelate_photo(jpeg_bytes, boxes=40, fast=True)       # JPEG decoded at reduced size
    grid = pixelate_photo(jpeg_bytes, boxes=40, crop="face")     # the face square, not the centre

Open (header only, size-checked) -> first frame, EXIF orientation, transparency on white,
grayscale or RGB -> AbsCenterCrop or the face square (`crop`) -> `pixelate`. `fast` lets a JPEG decode at the smallest
DCT scale whose square is at least three times the grid; the grid then differs from the
exact one by under a grey level on average (see benchmarks/pixelate_endpoint.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np
from pixelgan.model.images import decode_square, open_image
from pixelgan.model.pixelate import pixelate

FAST_DECODE_FACTOR = 3


def pixelate_photo(
    source: bytes | str | Path | BinaryIO,
    boxes: int = 40,
    *,
    color: bool = False,
    max_pixels: int | None = None,
    max_decode_bytes: int | None = None,
    fast: bool = False,
    crop: str = "center",
) -> np.ndarray:
    """Return the (boxes, boxes) grid (or (boxes, boxes, 3) when `color`) of a photo, in [0, 1].

    Raises the `model.errors.ImageError` subclasses for unusable input (NoFaceError when
    `crop="face"` finds no face) and FaceDetectorMissingError when the face crop lacks dlib;
    `max_decode_bytes` bounds the memory decoding may hold (`model.decode_budget`).
    """
    image = open_image(source, max_pixels=max_pixels, max_decode_bytes=max_decode_bytes)
    # 3x, not 2x, the grid: on the celebrity photos 2x (474 px decoded at 1/4) differed from
    # the exact path by 2.4 grey levels on average and 3x (at 1/2) by 0.7; a 12 MP photo
    # still decodes at 1/8 either way.
    min_side = FAST_DECODE_FACTOR * boxes if fast else None
    square = decode_square(image, color=color, min_side=min_side, crop=crop, max_decode_bytes=max_decode_bytes)
    return pixelate(square, boxes, color=color)
