"""Images out: grey grids to upscaled pictures and contact sheets.

    upscale(grid_uint8, 8)                   # nearest-neighbour, each cell an 8x8 block
    unit_to_uint8(grid)                      # [0, 1] floats -> 0..255
    contact_sheet(faces, columns=8, pad=1)   # (N, g, g) -> one (rows*(g+pad)+pad, ...) image
    sheet_shape(16, 40, 40)                  # (165, 165): its size, known before any face is made

Grids are uint8 arrays, (H, W) grey or (H, W, 3) RGB. Floats become grey levels by the range
they are in: `unit_to_uint8` for [0, 1] (pixelated photos), `signed_unit_to_uint8` for
[-1, 1] (the generators' Tanh).
"""

from __future__ import annotations

import math

import numpy as np


def unit_to_uint8(grid: np.ndarray) -> np.ndarray:
    """[0, 1] floats to grey levels 0..255, rounding to nearest."""
    return np.rint(np.clip(grid, 0.0, 1.0) * 255.0).astype(np.uint8)


def signed_unit_to_uint8(images: np.ndarray) -> np.ndarray:
    """[-1, 1] floats (Tanh outputs) to grey levels 0..255, rounding to nearest."""
    return np.rint((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


def upscale(pixels: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour upscale by an integer factor: every pixel becomes a scale x scale block."""
    if scale == 1:
        return pixels
    return np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)


def sheet_shape(count: int, height: int, width: int, *, columns: int | None = None, pad: int = 1) -> tuple[int, int]:
    """(height, width) of the contact sheet of `count` images of height x width."""
    columns = columns or math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    return rows * (height + pad) + pad, columns * (width + pad) + pad


def contact_sheet(
    images: np.ndarray, *, columns: int | None = None, pad: int = 1, background: int | np.ndarray = 255
) -> np.ndarray:
    """Tile (N, H, W[, C]) uint8 images into one image, `pad` pixels of `background` (a grey or a colour) between."""
    count, height, width = images.shape[:3]
    columns = columns or math.ceil(math.sqrt(count))
    shape = sheet_shape(count, height, width, columns=columns, pad=pad)
    sheet = np.full((*shape, *images.shape[3:]), background, dtype=np.uint8)
    for index, image in enumerate(images):
        top = pad + (index // columns) * (height + pad)
        left = pad + (index % columns) * (width + pad)
        sheet[top : top + height, left : left + width] = image
    return sheet
