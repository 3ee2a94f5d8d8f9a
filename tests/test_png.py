"""encode_png: any decoder reads back exactly the upscaled grid."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from model.png import encode_png
from model.sheet import upscale


@pytest.mark.parametrize("scale", [1, 2, 8, 13])
@pytest.mark.parametrize("shape", [(40, 40), (7, 12), (5, 9, 3), (1, 1)])
def test_png_decodes_to_the_upscaled_pixels(shape: tuple[int, ...], scale: int) -> None:
    pixels = np.random.default_rng(scale).integers(0, 256, shape, dtype=np.uint8)
    image = Image.open(io.BytesIO(encode_png(pixels, scale)))
    image.load()  # checks the CRCs and the zlib stream
    assert image.mode == ("RGB" if len(shape) == 3 else "L")
    np.testing.assert_array_equal(np.asarray(image), upscale(pixels, scale))


def test_png_is_smaller_than_pillows() -> None:
    face = np.random.default_rng(0).integers(0, 256, (40, 40), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(upscale(face, 8)).save(buffer, format="PNG")
    assert len(encode_png(face, 8)) < len(buffer.getvalue())


@pytest.mark.parametrize(
    ("pixels", "scale"),
    [(np.zeros((4, 4), np.float32), 1), (np.zeros((4, 4, 4), np.uint8), 1), (np.zeros((4, 4), np.uint8), 0)],
)
def test_png_refuses_what_it_cannot_encode(pixels: np.ndarray, scale: int) -> None:
    with pytest.raises(ValueError):
        encode_png(pixels, scale)
