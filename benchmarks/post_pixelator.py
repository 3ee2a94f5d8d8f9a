"""The post's Pixelator, restated as the baseline that tests and benchmarks compare against.

It takes the mean of each `side // boxes` block in a Python loop, and so returns a ragged
grid (41x41 for a side of 474 and 40 boxes) when the side is not a multiple of `boxes`.
"""

from __future__ import annotations

import numpy as np


def post_pixelator(pixels: np.ndarray, boxes: int) -> np.ndarray:
    """Block means in [0, 1] of a square uint8 array, one Python loop step per block."""
    side = pixels.shape[0]
    step = side // boxes
    rows = []
    for top in range(0, side, step):
        rows.append([pixels[top : top + step, left : left + step].mean() for left in range(0, side, step)])
    return np.array(rows) / 255.0
