"""PNG encoding for grids, plain and upscaled.

    png_bytes = encode_png(pixels)              # (H, W) grey or (H, W, 3) RGB uint8

A thin wrapper on Pillow, in one place so the service, the CLI and the benchmarks encode alike.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def encode_png(pixels: np.ndarray) -> bytes:
    """PNG bytes of a uint8 (H, W) grey or (H, W, 3) RGB image."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()
