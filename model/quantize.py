"""Fewer grey levels, with or without dithering, on pixel grids before they are upscaled.

    pixels = quantize(faces, levels=4, dither="bayer4")       # uint8 (..., H, W) -> same shape
    pixels = quantize(rgb, levels=4, dither="floyd", color=True)  # (..., H, W, 3)

`levels` evenly spaced greys from 0 to 255 (level k is round(k * 255 / (levels - 1))), so
black and white are always kept; 256 levels and no dither return the input unchanged. Each
dither dot is one grid cell, since the grid is quantised before the nearest-neighbour
upscale. RGB grids are quantised channel by channel.

- `none`: each value to its nearest level.
- `bayer2`, `bayer4`, `bayer8`: ordered dithering, one vectorised comparison against a
  tiled Bayer threshold map anchored at the grid's top-left cell. The pattern depends only
  on the position, so it stands still from frame to frame of an animation.
- `floyd`: Floyd-Steinberg error diffusion (7/16 right; 3/16, 5/16, 1/16 below), exactly
  the textbook loop, which a test holds it to. The loop is sequential, but a cell depends
  only on cells with a smaller `x + 2y`, so all cells of one anti-diagonal `x + 2y = t` run
  as one numpy step, across the whole batch: W + 2H steps instead of W x H. Each cell's
  error moves on to the cells after it, so a small change early in a frame reshuffles the
  dots after it: unlike an ordered dither it shimmers in an animation.

Pillow's `Image.quantize(palette=...)` was the obvious compiled path, and was measured and
dropped: from an "L" image it takes the values as palette indices (no mapping, no dither),
and from RGB its colour lookup is approximate (up to 6 grey values from the nearest level,
and values already on a palette of over 37 levels move).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

MIN_LEVELS = 2
MAX_LEVELS = 256
DITHERS = ("none", "bayer2", "bayer4", "bayer8", "floyd")
BAYER_SIDES = {"bayer2": 2, "bayer4": 4, "bayer8": 8}
ERROR_RIGHT = 7 / 16
ERROR_BELOW = np.array([3, 5, 1]) / 16  # below-left, below, below-right


def level_values(levels: int) -> np.ndarray:
    """The `levels` grey values an output may hold: uint8, 0 first, 255 last."""
    _check_levels(levels)
    return np.rint(np.arange(levels) * (255.0 / (levels - 1))).astype(np.uint8)


def bayer_matrix(side: int) -> np.ndarray:
    """The (side, side) Bayer index matrix, values 0..side*side-1 (side a power of two)."""
    matrix = np.zeros((1, 1), dtype=np.int64)
    while matrix.shape[0] < side:
        matrix = np.block([[4 * matrix, 4 * matrix + 2], [4 * matrix + 3, 4 * matrix + 1]])
    return matrix


def quantize(pixels: np.ndarray, levels: int = MAX_LEVELS, dither: str = "none", *, color: bool = False) -> np.ndarray:
    """`pixels` (uint8 (..., H, W) grey, or (..., H, W, 3) RGB when `color`) reduced to `levels` per channel.

    Leading axes are a batch: each (H, W) image is dithered from its own top-left corner.
    """
    if pixels.dtype != np.uint8:
        raise ValueError(f"quantize takes uint8 pixels, got {pixels.dtype}")
    _check_levels(levels)
    if dither not in DITHERS:
        raise ValueError(f"dither must be one of {', '.join(DITHERS)}, got {dither!r}")
    if levels == MAX_LEVELS and dither == "none":
        return pixels
    if color and (pixels.ndim < 3 or pixels.shape[-1] != 3):
        raise ValueError(f"color=True takes (..., H, W, 3) pixels, got {pixels.shape}")
    if dither == "floyd":
        return _floyd_steinberg(pixels, levels, color)
    threshold = threshold_map(dither, pixels.shape[-3:-1] if color else pixels.shape[-2:])
    if color:
        threshold = threshold[..., None]  # (H, W, 1): one map for all three channels
    steps = levels - 1
    # x in [0, steps]; floor(x + t) with t in (0, 1) rounds up with probability frac(x)
    # across the map, which is what keeps the mean grey.
    index = np.floor(pixels * (steps / 255.0) + threshold)
    return level_values(levels)[np.clip(index, 0, steps).astype(np.intp)]


def threshold_map(dither: str, shape: tuple[int, int]) -> np.ndarray:
    """(H, W) float thresholds in (0, 1): 0.5 everywhere for `none`, a tiled Bayer map otherwise."""
    if dither == "none":
        return np.full(shape, 0.5)
    side = BAYER_SIDES[dither]
    tile = (bayer_matrix(side) + 0.5) / (side * side)
    height, width = shape
    return np.tile(tile, (-(-height // side), -(-width // side)))[:height, :width]


def _floyd_steinberg(pixels: np.ndarray, levels: int, color: bool) -> np.ndarray:
    images = np.moveaxis(pixels, -1, -3) if color else pixels  # channels become images
    height, width = images.shape[-2:]
    batch = images.reshape(-1, height * width).astype(np.float64)  # (B, H*W)
    # Errors waiting for each cell, with a column of padding either side and a row below.
    errors = np.zeros((batch.shape[0], (height + 1) * (width + 2)))
    indices = np.empty(batch.shape, dtype=np.intp)
    values = level_values(levels)
    to_index = (levels - 1) / 255.0
    for cells, padded, right, below in diagonal_plan(height, width):
        wanted = batch[:, cells] + errors[:, padded]
        index = np.clip(np.rint(wanted * to_index), 0, levels - 1).astype(np.intp)
        error = wanted - values[index]
        # Two statements: a right target of one cell can be a below target of another.
        errors[:, right] += error * ERROR_RIGHT
        errors[:, below] += error[:, :, None] * ERROR_BELOW
        indices[:, cells] = index
    result = values[indices].reshape(images.shape)
    return np.moveaxis(result, -3, -1) if color else result


@lru_cache(maxsize=16)
def diagonal_plan(height: int, width: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Per step t, the cells with x + 2y = t: flat indices, padded indices, and their error targets."""
    ys, xs = np.mgrid[0:height, 0:width]
    step = (xs + 2 * ys).ravel()
    cells = (ys * width + xs).ravel()
    padded = (ys * (width + 2) + xs + 1).ravel()
    below = np.array([width + 1, width + 2, width + 3])
    plan = []
    for t in range(int(step.max()) + 1):
        chosen = padded[step == t]
        plan.append((cells[step == t], chosen, chosen + 1, chosen[:, None] + below))
    return plan


def _check_levels(levels: int) -> None:
    if not MIN_LEVELS <= levels <= MAX_LEVELS:
        raise ValueError(f"levels must be from {MIN_LEVELS} to {MAX_LEVELS}, got {levels}")
