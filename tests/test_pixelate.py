"""pixelate: the post's block means on multiples, exact grids otherwise, area weights, errors."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from pixelgan.model.crop import abs_center_crop, square_box
from pixelgan.model.errors import ImageTooSmallError
from pixelgan.model.pixelate import area_weights, pixelate

from tests.helpers import post_pixelator


@pytest.mark.parametrize(("side", "boxes"), [(40, 40), (80, 40), (200, 40), (480, 40), (474, 3), (64, 8)])
def test_pixelate_matches_post_on_multiples(side: int, boxes: int) -> None:
    pixels = np.random.default_rng(side).integers(0, 256, (side, side), dtype=np.uint8)
    np.testing.assert_allclose(pixelate(pixels, boxes), post_pixelator(pixels, boxes), atol=1e-6)


@pytest.mark.parametrize("side", [41, 79, 123, 474, 1001])
def test_pixelate_is_exactly_boxes_on_non_multiples(side: int) -> None:
    pixels = np.random.default_rng(side).integers(0, 256, (side, side), dtype=np.uint8)
    assert post_pixelator(pixels, 40).shape != (40, 40)  # the post's grid is ragged here
    grid = pixelate(pixels, 40)
    assert grid.shape == (40, 40)
    assert grid.dtype == np.float32
    assert grid.min() >= 0.0 and grid.max() <= 1.0


@pytest.mark.parametrize("side", [40, 41, 97, 200, 474, 768, 1003])
@pytest.mark.parametrize("boxes", [7, 40])
def test_banded_pixelate_equals_the_dense_area_weighted_product(side: int, boxes: int) -> None:
    pixels = np.random.default_rng(side + boxes).integers(0, 256, (side, side), dtype=np.uint8)
    weights = area_weights(side, boxes)
    dense = (weights @ pixels @ weights.T / 255.0).astype(np.float32)
    np.testing.assert_allclose(pixelate(pixels, boxes), dense, rtol=0, atol=1e-7)
    floats = pixels.astype(np.float64) + 0.25  # non-integer input takes the float64 bands
    np.testing.assert_allclose(pixelate(floats, boxes), (weights @ floats @ weights.T / 255.0), rtol=0, atol=1e-6)


def test_area_weights_rows_sum_to_one_and_split_shared_pixels() -> None:
    weights = area_weights(3, 2)  # cell 0 covers pixels 0 and half of 1
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    np.testing.assert_allclose(weights, [[2 / 3, 1 / 3, 0], [0, 1 / 3, 2 / 3]])


def test_pixelate_weights_pixels_by_area() -> None:
    pixels = np.array([[0, 255, 0], [0, 255, 0], [0, 255, 0]], dtype=np.uint8)
    # Each cell is 1.5 pixels wide: one black pixel plus half of the white one.
    np.testing.assert_allclose(pixelate(pixels, 2), np.full((2, 2), 1 / 3), atol=1e-6)


def test_pixelate_preserves_mean_brightness() -> None:
    pixels = np.random.default_rng(0).integers(0, 256, (333, 333), dtype=np.uint8)
    assert pixelate(pixels, 40).mean() == pytest.approx(pixels.mean() / 255, abs=1e-5)


def test_pixelate_color_gives_three_channels_of_block_means() -> None:
    pixels = np.random.default_rng(1).integers(0, 256, (80, 80, 3), dtype=np.uint8)
    grid = pixelate(pixels, 40, color=True)
    assert grid.shape == (40, 40, 3)
    for channel in range(3):
        np.testing.assert_allclose(grid[..., channel], post_pixelator(pixels[..., channel], 40), atol=1e-6)


def test_pixelate_color_on_non_multiple_matches_grey_per_channel() -> None:
    pixels = np.random.default_rng(2).integers(0, 256, (97, 97, 3), dtype=np.uint8)
    grid = pixelate(pixels, 40, color=True)
    for channel in range(3):
        np.testing.assert_allclose(grid[..., channel], pixelate(pixels[..., channel], 40), atol=1e-6)


def test_pixelate_accepts_pillow_images_as_luma() -> None:
    image = Image.new("RGB", (80, 80), (255, 0, 0))
    assert pixelate(image, 40) == pytest.approx(np.full((40, 40), 76 / 255))  # Pillow's L of pure red


def test_pixelate_too_small_says_so() -> None:
    with pytest.raises(ImageTooSmallError, match="30x30 pixels, smaller than the 40x40 grid"):
        pixelate(np.zeros((30, 30), np.uint8), 40)


def test_pixelate_rejects_non_square() -> None:
    with pytest.raises(ValueError, match="square"):
        pixelate(np.zeros((50, 60), np.uint8), 40)


@pytest.mark.parametrize(
    ("size", "box"),
    [((474, 474), (0, 0, 474, 474)), ((474, 600), (0, 63, 474, 537)), ((601, 474), (63, 0, 537, 474))],
)
def test_square_box_is_the_posts_centred_square(size: tuple[int, int], box: tuple[int, int, int, int]) -> None:
    assert square_box(size) == box


def test_abs_center_crop_makes_a_square() -> None:
    assert abs_center_crop(Image.new("L", (120, 90))).size == (90, 90)
