"""quantize: levels, ordered dithers and Floyd-Steinberg against the textbook loop."""

from __future__ import annotations

import numpy as np
import pytest
from pixelgan.model.quantize import DITHERS, bayer_matrix, level_values, quantize


def textbook_floyd_steinberg(image: np.ndarray, levels: int) -> np.ndarray:
    """The loop as Floyd and Steinberg wrote it: nearest level, error 7/16, 3/16, 5/16, 1/16 on."""
    wanted = image.astype(np.float64)
    values = level_values(levels)
    out = np.empty_like(image)
    height, width = image.shape
    for y in range(height):
        for x in range(width):
            index = int(np.clip(np.rint(wanted[y, x] * (levels - 1) / 255), 0, levels - 1))
            error = wanted[y, x] - values[index]
            out[y, x] = values[index]
            if x + 1 < width:
                wanted[y, x + 1] += error * 7 / 16
            if y + 1 < height:
                if x > 0:
                    wanted[y + 1, x - 1] += error * 3 / 16
                wanted[y + 1, x] += error * 5 / 16
                if x + 1 < width:
                    wanted[y + 1, x + 1] += error * 1 / 16
    return out


def noise(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def test_level_values_span_black_to_white_evenly() -> None:
    np.testing.assert_array_equal(level_values(2), [0, 255])
    np.testing.assert_array_equal(level_values(4), [0, 85, 170, 255])
    np.testing.assert_array_equal(level_values(256), np.arange(256))


def test_bayer_matrix_is_a_permutation_in_the_classic_order() -> None:
    np.testing.assert_array_equal(bayer_matrix(2), [[0, 2], [3, 1]])
    for side in (2, 4, 8):
        assert sorted(bayer_matrix(side).ravel()) == list(range(side * side))


@pytest.mark.parametrize("dither", DITHERS)
def test_256_levels_leave_every_pixel_alone(dither: str) -> None:
    pixels = noise((2, 40, 40))
    np.testing.assert_array_equal(quantize(pixels, 256, dither), pixels)


@pytest.mark.parametrize("dither", DITHERS)
@pytest.mark.parametrize("levels", [2, 3, 4, 8, 17, 255])
def test_output_holds_only_the_levels(levels: int, dither: str) -> None:
    pixels = noise((3, 21, 40), seed=levels)
    out = quantize(pixels, levels, dither)
    assert out.shape == pixels.shape
    assert out.dtype == np.uint8
    assert set(np.unique(out)) <= set(level_values(levels).tolist())


def test_no_dither_takes_the_nearest_level() -> None:
    pixels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    exact_levels = np.arange(5) * 255 / 4  # nearest on the exact grid; outputs are these rounded
    nearest = np.abs(pixels.astype(float)[..., None] - exact_levels).argmin(axis=-1)
    np.testing.assert_array_equal(quantize(pixels, 5, "none"), level_values(5)[nearest])


@pytest.mark.parametrize("dither", ["bayer2", "bayer4", "bayer8", "floyd"])
@pytest.mark.parametrize("grey", [40, 128, 200])
def test_dither_of_flat_grey_mixes_levels_and_keeps_the_mean(dither: str, grey: int) -> None:
    pixels = np.full((32, 32), grey, dtype=np.uint8)
    out = quantize(pixels, 2, dither)
    assert set(np.unique(out)) == {0, 255}  # dithered, not thresholded
    cells = 16 if dither == "floyd" else int(dither.removeprefix("bayer")) ** 2
    assert abs(out.mean() - grey) <= 255 / (2 * cells)  # within half a step of the map's shades


@pytest.mark.parametrize("side", [2, 4, 8])
def test_ordered_dither_is_a_fixed_pattern_of_position(side: int) -> None:
    flat = np.full((24, 24), 100, dtype=np.uint8)
    out = quantize(flat, 2, f"bayer{side}")
    np.testing.assert_array_equal(out[:side, :side], out[side : 2 * side, side : 2 * side])  # it tiles
    frames = noise((5, 24, 24))
    frames[:, :8, :8] = 100  # a corner that does not change between frames
    dithered = quantize(frames, 3, f"bayer{side}")
    assert all(np.array_equal(frame[:8, :8], dithered[0, :8, :8]) for frame in dithered)
    np.testing.assert_array_equal(dithered[2], quantize(frames[2], 3, f"bayer{side}"))


@pytest.mark.parametrize("levels", [2, 3, 6, 256])
@pytest.mark.parametrize("shape", [(40, 40), (7, 13), (1, 9), (9, 1)])
def test_floyd_steinberg_equals_the_textbook_loop(shape: tuple[int, int], levels: int) -> None:
    pixels = noise(shape, seed=levels)
    np.testing.assert_array_equal(quantize(pixels, levels, "floyd"), textbook_floyd_steinberg(pixels, levels))


def test_floyd_steinberg_runs_each_image_of_a_batch_on_its_own() -> None:
    batch = noise((4, 12, 10))
    out = quantize(batch, 3, "floyd")
    for image, dithered in zip(batch, out, strict=True):
        np.testing.assert_array_equal(dithered, textbook_floyd_steinberg(image, 3))


@pytest.mark.parametrize("dither", DITHERS)
def test_color_is_quantised_channel_by_channel(dither: str) -> None:
    rgb = noise((10, 12, 3))
    out = quantize(rgb, 4, dither, color=True)
    for channel in range(3):
        np.testing.assert_array_equal(out[..., channel], quantize(np.ascontiguousarray(rgb[..., channel]), 4, dither))


@pytest.mark.parametrize(
    ("pixels", "levels", "dither", "color", "words"),
    [
        (np.zeros((4, 4), np.uint8), 1, "none", False, "levels must be from 2 to 256, got 1"),
        (np.zeros((4, 4), np.uint8), 257, "none", False, "levels must be from 2 to 256, got 257"),
        (np.zeros((4, 4), np.uint8), 4, "bayer3", False, "dither must be one of none, bayer2"),
        (np.zeros((4, 4), np.float32), 4, "none", False, "quantize takes uint8 pixels, got float32"),
        (np.zeros((4, 4), np.uint8), 4, "none", True, r"color=True takes \(\.\.\., H, W, 3\) pixels"),
    ],
)
def test_quantize_refuses_what_it_cannot_do(
    pixels: np.ndarray, levels: int, dither: str, color: bool, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        quantize(pixels, levels, dither, color=color)
