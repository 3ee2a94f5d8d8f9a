"""Helpers shared by the tests (and by the benchmarks, which measure against the same baseline).

    post_pixelator(pixels, 40)   # the post's Pixelator, the reference `pixelate` is tested against
    free_port()                  # a free TCP port on 127.0.0.1 for a real server

The post's Pixelator takes the mean of each `side // boxes` block in a Python loop, and so
returns a ragged grid (41x41 for a side of 474 and 40 boxes) when the side is not a
multiple of `boxes`.
"""

from __future__ import annotations

import socket

import numpy as np


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_pixelator(pixels: np.ndarray, boxes: int) -> np.ndarray:
    """Block means in [0, 1] of a square uint8 array, one Python loop step per block."""
    side = pixels.shape[0]
    step = side // boxes
    rows = []
    for top in range(0, side, step):
        rows.append([pixels[top : top + step, left : left + step].mean() for left in range(0, side, step)])
    return np.array(rows) / 255.0
