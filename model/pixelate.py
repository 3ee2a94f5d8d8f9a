"""Pixelation: the mean of each block of a `boxes x boxes` grid laid over a square image.

    grid = pixelate(image, boxes=40)          # (40, 40) float32 in [0, 1]
    grid = pixelate(image, boxes=40, color=True)   # (40, 40, 3)

This is the post's Pixelator done right. Where the side is a multiple of `boxes` each cell is
the plain mean of its `side // boxes` square block, as in the post. Otherwise the grid lines
fall between pixels, and every source pixel counts towards a cell by the share of its area
that lies inside it, so the output is exactly `boxes x boxes` for every size (the post's loop
returned a ragged 41x41 grid instead). The work is `W @ pixels @ W.T` with integer weights,
computed in bands of a few cells, so no Python loop over blocks and no products with the
zeros of W.

One function serves training preprocessing, `pixelgan pixelate` and the service's
`/pixelate`; the step before it, opening and cropping the photo to a square, is
`model.images.decode_square` (both run by `model.photo.pixelate_photo`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image
from pixelgan.model.errors import ImageTooSmallError

CELLS_PER_BAND = 4  # fewer: more, smaller products; more: more multiplications by zero
FLOAT32_EXACT_SIDE = 65_793  # 255 * side < 2 ** 24: float32 sums of uint8 rows stay exact


@lru_cache(maxsize=64)
def area_weights(side: int, boxes: int) -> np.ndarray:
    """Return the (boxes, side) float64 matrix whose row i averages the pixels under cell i.

    Cell i covers the interval [i * side / boxes, (i + 1) * side / boxes) of the pixel axis;
    entry (i, x) is the length of pixel x's overlap with that interval, divided by the cell's
    length, so every row sums to one.
    """
    edges = np.arange(boxes + 1, dtype=np.float64) * (side / boxes)
    pixel_starts = np.arange(side, dtype=np.float64)
    overlap = np.minimum(edges[1:, None], pixel_starts[None, :] + 1) - np.maximum(
        edges[:-1, None], pixel_starts[None, :]
    )
    weights = np.clip(overlap, 0.0, None) / (side / boxes)
    weights.setflags(write=False)
    return weights


@dataclass(frozen=True)
class _Band:
    """Cells [first, last) of one axis, which only see pixels [start, stop) of it.

    counts: the integer weights side * W of those cells over those pixels, (cells, pixels)
    in float32 for the big first product and its transpose in float64 for the second.
    """

    start: int
    stop: int
    first: int
    last: int
    counts: np.ndarray
    counts_t: np.ndarray


@lru_cache(maxsize=64)
def _bands(side: int, boxes: int) -> tuple[_Band, ...]:
    """`area_weights` as integer counts, cut into bands of CELLS_PER_BAND cells.

    Grid lines sit at multiples of side / boxes, so every overlap is a multiple of 1 / boxes
    and side * W is an integer matrix (entries 0..boxes). With integer weights, float32
    products of uint8 pixels are exact while the sums stay below 2 ** 24 (side < 65,793).
    """
    counts = np.rint(area_weights(side, boxes) * side)
    bands = []
    for first in range(0, boxes, CELLS_PER_BAND):
        last = min(first + CELLS_PER_BAND, boxes)
        touched = np.flatnonzero(counts[first:last].any(axis=0))
        start, stop = int(touched[0]), int(touched[-1]) + 1
        block = counts[first:last, start:stop]
        bands.append(_Band(start, stop, first, last, block.astype(np.float32), np.ascontiguousarray(block.T)))
    return tuple(bands)


def pixelate(image: Image.Image | np.ndarray, boxes: int = 40, *, color: bool = False) -> np.ndarray:
    """Return the `boxes x boxes` grid of block means of a square image, as float32 in [0, 1].

    `image` is a square Pillow image (any mode; converted to "L", or "RGB" when `color`) or a
    square uint8/float array of shape (side, side) or (side, side, channels), values 0..255.
    The result is (boxes, boxes), or (boxes, boxes, 3) when `color` is true.
    Raises ImageTooSmallError when the side is smaller than `boxes`.
    """
    if boxes < 1:
        raise ValueError(f"boxes must be at least 1, got {boxes}")
    pixels = _as_array(image, color)
    height, width = pixels.shape[:2]
    if height != width:
        raise ValueError(f"pixelate needs a square image; crop it first (got {width}x{height})")
    if height < boxes:
        raise ImageTooSmallError(f"the image is {width}x{height} pixels, smaller than the {boxes}x{boxes} grid")
    if pixels.ndim == 2:
        return _grey_grid(pixels, boxes)
    return np.stack([_grey_grid(pixels[..., channel], boxes) for channel in range(pixels.shape[2])], axis=-1)


def _grey_grid(pixels: np.ndarray, boxes: int) -> np.ndarray:
    """(side, side) values 0..255 -> (boxes, boxes) float32 block means in [0, 1].

    Computes counts @ pixels @ counts.T / side**2, band by band: each band of cells reads
    only the rows (then columns) under it, about side / boxes + 1 per cell, instead of a
    dense product that is mostly multiplications by zero.
    """
    side = pixels.shape[0]
    bands = _bands(side, boxes)
    exact = pixels.dtype == np.uint8 and side < FLOAT32_EXACT_SIDE
    work = np.float32 if exact else np.float64  # other inputs (floats, 16-bit) take float64
    rows = np.empty((boxes, side), dtype=np.float64)
    for band in bands:  # (cells, pixels) @ (pixels, side): sums over the rows under each cell
        under = pixels[band.start : band.stop].astype(work)
        rows[band.first : band.last] = band.counts.astype(work, copy=False) @ under
    grid = np.empty((boxes, boxes), dtype=np.float64)
    for band in bands:  # (boxes, pixels) @ (pixels, cells): then over the columns
        grid[:, band.first : band.last] = rows[:, band.start : band.stop] @ band.counts_t
    # One division of exact sums: every size, multiples of boxes included, gets the correctly
    # rounded block mean, so no separate reshape path is needed for them.
    return (grid / (side * side * 255.0)).astype(np.float32)


def _as_array(image: Image.Image | np.ndarray, color: bool) -> np.ndarray:
    if isinstance(image, Image.Image):
        mode = "RGB" if color else "L"
        if image.mode != mode:
            image = image.convert(mode)
        return np.asarray(image)
    pixels = np.asarray(image)
    if pixels.ndim == 3 and not color:
        raise ValueError("pass a 2-D grayscale array, or color=True for an (H, W, C) array")
    return pixels
