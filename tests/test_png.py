"""encode_png: any decoder reads back exactly the upscaled grid."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pixelgan.model.png import _encode, encode_png
from pixelgan.model.quantize import level_values, quantize
from pixelgan.model.sheet import upscale


def decode(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    image.load()  # checks the CRCs and the zlib stream
    return np.asarray(image.convert("L") if image.mode == "1" else image)


def bit_depth(png: bytes) -> int:
    return png[24]  # IHDR: signature 8, length 4, type 4, width 4, height 4, then the depth


@pytest.mark.parametrize("scale", [1, 2, 8, 13])
@pytest.mark.parametrize("shape", [(40, 40), (7, 12), (5, 9, 3), (1, 1)])
def test_png_decodes_to_the_upscaled_pixels(shape: tuple[int, ...], scale: int) -> None:
    pixels = np.random.default_rng(scale).integers(0, 256, shape, dtype=np.uint8)
    decoded = decode(encode_png(pixels, scale))
    assert decoded.shape == upscale(pixels, scale).shape
    np.testing.assert_array_equal(decoded, upscale(pixels, scale))


@pytest.mark.parametrize("scale", [1, 3, 8])
@pytest.mark.parametrize("levels", [2, 3, 4, 6, 16, 17])
@pytest.mark.parametrize("width", [40, 13, 1])
def test_png_of_few_levels_decodes_to_the_upscaled_pixels(levels: int, width: int, scale: int) -> None:
    rng = np.random.default_rng(levels * width)
    pixels = level_values(levels)[rng.integers(0, levels, (9, width))]
    png = encode_png(pixels, scale)
    np.testing.assert_array_equal(decode(png), upscale(pixels, scale))


@pytest.mark.parametrize(("levels", "depth"), [(2, 1), (4, 2), (16, 4)])
def test_png_of_few_levels_uses_fewer_bits_where_smaller(levels: int, depth: int) -> None:
    # Large flat blocks at scale 8: the packed rows compress as well and are shorter.
    blocks = np.random.default_rng(levels).integers(0, levels, (5, 5))
    pixels = level_values(levels)[np.repeat(np.repeat(blocks, 8, axis=0), 8, axis=1)]
    png = encode_png(pixels, 8)
    assert bit_depth(png) == depth
    eight_bit = encode_png(np.where(pixels == 0, 1, pixels).astype(np.uint8), 8)  # a 1 forces 8 bits
    assert bit_depth(eight_bit) == 8
    assert len(png) < len(eight_bit)


def test_png_of_few_levels_is_the_smaller_of_packed_and_8_bit() -> None:
    y, x = np.mgrid[0:40, 0:40]
    wave = np.rint(127.5 + 127.5 * np.sin(x / 3) * np.cos(y / 5)).astype(np.uint8)
    depths = {}
    for dither in ("none", "floyd"):
        pixels = quantize(wave, 4, dither)
        for scale in (1, 2, 8):
            png = encode_png(pixels, scale)
            assert len(png) <= min(len(_encode(pixels, scale, 8)), len(_encode(pixels, scale, 2)))
            depths[dither, scale] = bit_depth(png)
    # Scattered dots at scale 1 compress better a byte a pixel; large blocks packed.
    assert depths["floyd", 1] == 8
    assert depths["none", 8] == 2


def test_png_is_smaller_than_pillows() -> None:
    face = np.random.default_rng(0).integers(0, 256, (40, 40), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(upscale(face, 8)).save(buffer, format="PNG")
    assert len(encode_png(face, 8)) < len(buffer.getvalue())


@pytest.mark.parametrize(
    ("pixels", "scale", "words"),
    [
        (np.zeros((4, 4), np.float32), 1, r"takes uint8 \(H, W\) or \(H, W, 3\) arrays, got float32"),
        (np.zeros((4, 4, 4), np.uint8), 1, r"got uint8 \(4, 4, 4\)"),
        (np.zeros((4, 4), np.uint8), 0, "scale must be at least 1, got 0"),
    ],
)
def test_png_refuses_what_it_cannot_encode(pixels: np.ndarray, scale: int, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        encode_png(pixels, scale)
