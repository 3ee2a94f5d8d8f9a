"""Pixelation: the mean of each block of a `boxes x boxes` grid laid over a square image.

    grid = pixelate(image, boxes=40)          # (40, 40) float32 in [0, 1]
    grid = pixelate(image, boxes=40, color=True)   # (40, 40, 3)

This is the post's Pixelator done right. Where the side is a multiple of `boxes` each cell is
the plain mean of its `side // boxes` square block, as in the post. Otherwise the grid lines
fall between pixels, and every source pixel counts towards a cell by the share of its area
that lies inside it, so the output is exactly `boxes x boxes` for every size (the post's loop
returned a ragged 41x41 grid instead). The work is two small matrix products,
`W @ pixels @ W.T`, with no Python loop over blocks.

One function serves training preprocessing, `pixelgan pixelate` and the service's
`/pixelate`; `load_square` in `model.images` is the step before it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

from model.errors import ImageTooSmallError


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
    if height % boxes == 0:
        grid = _block_means(pixels, boxes)
    else:
        weights = area_weights(height, boxes)
        if pixels.ndim == 2:
            grid = weights @ pixels @ weights.T  # (boxes, side) @ (side, side) @ (side, boxes)
        else:
            grid = np.einsum("iy,yxc,jx->ijc", weights, pixels, weights, optimize=True)
    return (grid / 255.0).astype(np.float32)


def _block_means(pixels: np.ndarray, boxes: int) -> np.ndarray:
    """Exact block means when the side divides evenly: a reshape and one reduction."""
    block = pixels.shape[0] // boxes
    shaped = pixels.reshape(boxes, block, boxes, block, *pixels.shape[2:])
    return shaped.mean(axis=(1, 3), dtype=np.float64)


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
