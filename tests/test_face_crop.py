"""The face-centred crop: its geometry, edge padding, and the grid of the square around the face.

What a photo without a face, or a service without the detector, gets is tested at the API,
in tests/test_app_levels.py (the status, code and sentence, over the same model errors).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pixelgan.model import images
from pixelgan.model.crop import FACE_MARGIN, FACE_RAISE, crop_settings, face_crop, face_square_box
from pixelgan.model.photo import pixelate_photo
from pixelgan.model.pixelate import pixelate

from tests.conftest import photo_bytes


def test_face_square_is_margin_times_the_box_raised_by_a_tenth() -> None:
    left, top, right, bottom = face_square_box((1000, 1000), (400, 400, 600, 600))
    assert right - left == bottom - top == round(FACE_MARGIN * 200)
    assert (left + right) / 2 == 500
    assert (top + bottom) / 2 == 500 - FACE_RAISE * 200


def test_face_crop_inside_the_photo_is_a_plain_crop() -> None:
    pixels = np.arange(100 * 100, dtype=np.uint32).reshape(100, 100).astype(np.uint8)
    square = face_crop(Image.fromarray(pixels), (40, 40, 60, 60))
    left, top, right, bottom = face_square_box((100, 100), (40, 40, 60, 60))
    np.testing.assert_array_equal(np.asarray(square), pixels[top:bottom, left:right])


def test_face_crop_repeats_edge_pixels_where_it_leaves_the_photo() -> None:
    y, x = np.mgrid[0:50, 0:60]
    pixels = (x * 4 + y).astype(np.uint8)
    square = np.asarray(face_crop(Image.fromarray(pixels), (-10, -10, 30, 30)))  # sticks out top-left
    left, top, right, bottom = face_square_box((60, 50), (-10, -10, 30, 30))
    assert square.shape == (bottom - top, right - left)
    assert (square[:-top, -left:] == pixels[0, :right]).all()  # rows above the photo repeat its first row
    assert (square[-top:, :-left] == pixels[:bottom, :1]).all()  # columns left of it repeat its first column


def test_face_crop_keeps_rgb() -> None:
    rgb = Image.new("RGB", (80, 80), (10, 200, 30))
    assert face_crop(rgb, (-20, 20, 40, 80)).mode == "RGB"


def face_square_grid(data: bytes, face: tuple[float, float, float, float], boxes: int) -> np.ndarray:
    """The grid of the face square of `face` in the photo `data`, cut by hand with numpy."""
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("L"))
    left, top, right, bottom = face_square_box((pixels.shape[1], pixels.shape[0]), face)
    assert left >= 0 and top >= 0 and right <= pixels.shape[1] and bottom <= pixels.shape[0], "keep the square inside"
    return pixelate(pixels[top:bottom, left:right], boxes)


def test_pixelate_photo_face_crops_where_the_detector_says(monkeypatch: pytest.MonkeyPatch) -> None:
    data = photo_bytes((200, 160), mode="L")
    face = (90.0, 40.0, 160.0, 110.0)  # right of centre, so the centre crop and corners differ from it
    monkeypatch.setattr(images, "detect_face", lambda image: face)
    grid = pixelate_photo(data, 20, crop="face")
    np.testing.assert_array_equal(grid, face_square_grid(data, face, 20))
    assert not np.allclose(grid, pixelate_photo(data, 20))


def test_unknown_crop_is_refused() -> None:
    with pytest.raises(ValueError, match="crop must be one of"):
        pixelate_photo(photo_bytes(), 20, crop="eyes")
    with pytest.raises(ValueError, match="crop must be one of"):
        crop_settings("eyes")
