"""The face-centred crop: its geometry, edge padding, no-face and no-detector errors."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from PIL import Image
from pixelgan.model import face_detect, images
from pixelgan.model.crop import FACE_MARGIN, FACE_RAISE, crop_settings, face_crop, face_square_box
from pixelgan.model.errors import FaceDetectorMissingError, NoFaceError
from pixelgan.model.photo import pixelate_photo

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


def test_pixelate_photo_face_crops_where_the_detector_says(monkeypatch: pytest.MonkeyPatch) -> None:
    data = photo_bytes((200, 160), mode="L")
    monkeypatch.setattr(images, "detect_face", lambda image: (60.0, 50.0, 140.0, 130.0))
    grid = pixelate_photo(data, 20, crop="face")
    centre = pixelate_photo(data, 20)
    assert grid.shape == centre.shape == (20, 20)
    assert not np.allclose(grid, centre)


def test_no_face_is_a_clear_image_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "detect_face", lambda image: None)
    with pytest.raises(NoFaceError, match="no face was found"):
        pixelate_photo(photo_bytes(), 20, crop="face")


def test_missing_detector_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dlib", None)  # import dlib now raises ImportError
    monkeypatch.setattr(face_detect, "_per_thread", type(face_detect._per_thread)())
    with pytest.raises(FaceDetectorMissingError, match=r"pixelgan\[face\]"):
        pixelate_photo(photo_bytes(), 20, crop="face")
    assert not face_detect.detector_available()


def test_unknown_crop_is_refused() -> None:
    with pytest.raises(ValueError, match="crop must be one of"):
        pixelate_photo(photo_bytes(), 20, crop="eyes")
    with pytest.raises(ValueError, match="crop must be one of"):
        crop_settings("eyes")


def test_real_detector_finds_no_face_in_a_gradient() -> None:
    pytest.importorskip("dlib", reason="dlib-bin (the face extra) is not installed")
    assert face_detect.detect_face(Image.open(__import__("io").BytesIO(photo_bytes())).convert("L")) is None
