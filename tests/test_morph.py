"""Latent walks (slerp, the looping schedule, one batch) and their GIF, WebP and APNG bytes."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence
from pixelgan.model.animation import FORMATS, encode_animation
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.morph import morph_faces, slerp, walk_positions
from pixelgan.model.sheet import upscale


def frames_of(data: bytes) -> tuple[Image.Image, list[np.ndarray]]:
    image = Image.open(io.BytesIO(data))
    return image, [np.asarray(frame.convert("L")) for frame in ImageSequence.Iterator(image)]


def test_slerp_runs_from_start_to_end_on_the_shell() -> None:
    rng = np.random.default_rng(0)
    start, end = rng.standard_normal(100), rng.standard_normal(100)
    end *= np.linalg.norm(start) / np.linalg.norm(end)  # same radius: the arc keeps it exactly
    points = slerp(start, end, np.linspace(0.0, 1.0, 9))
    np.testing.assert_allclose(points[0], start)
    np.testing.assert_allclose(points[-1], end)
    np.testing.assert_allclose(np.linalg.norm(points, axis=1), np.linalg.norm(start))
    lerp_midpoint = (start + end) / 2
    assert np.linalg.norm(lerp_midpoint) < 0.8 * np.linalg.norm(points[4])  # why not lerp


def test_slerp_of_one_latent_to_itself_stays_put() -> None:
    latent = np.random.default_rng(1).standard_normal(10)
    np.testing.assert_allclose(slerp(latent, latent, np.array([0.0, 0.3, 1.0])), np.tile(latent, (3, 1)))


@pytest.mark.parametrize("frames", [2, 3, 8, 9, 120])
def test_walk_starts_at_a_and_turns_at_b(frames: int) -> None:
    t = walk_positions(frames)
    assert len(t) == frames // 2 + 1
    assert t[0] == 0.0
    assert np.all(np.diff(t) > 0)
    assert t[-1] == pytest.approx(1.0 if frames % 2 == 0 else (1 - np.cos(np.pi * (frames - 1) / frames)) / 2)


@pytest.mark.parametrize("frames", [1, 121])
def test_walk_refuses_frames_out_of_range(frames: int) -> None:
    with pytest.raises(ValueError, match="frames must be from 2 to 120"):
        walk_positions(frames)


def test_morph_is_a_loop_from_a_to_b_and_back(generator_path: Path) -> None:
    generator = NumpyGenerator.from_file(str(generator_path))
    faces = morph_faces(generator, 3, 7, frames=10)
    assert faces.shape == (10, 12, 12) and faces.dtype == np.uint8
    ends = generator.faces_for_seeds([3, 7])
    # Within a level: a batch of another size may sum in another order (see test_app_morph).
    assert np.abs(faces[0].astype(int) - ends[0]).max() <= 1
    assert np.abs(faces[5].astype(int) - ends[1]).max() <= 1
    for k in range(1, 10):
        np.testing.assert_array_equal(faces[k], faces[10 - k])
    assert len({face.tobytes() for face in faces}) == 6  # 0..5 distinct, then mirrored
    assert np.abs(morph_faces(generator, 3, 7, frames=2).astype(int) - ends).max() <= 1


def moving_frames() -> np.ndarray:
    frames = np.zeros((5, 6, 7), dtype=np.uint8)
    for k in range(5):
        frames[k, :, k] = 200  # a bar moving right: every frame differs from the last
        frames[k, k, :] += 40
    return frames


@pytest.mark.parametrize("fmt", FORMATS)
def test_animation_decodes_to_each_upscaled_frame_and_loops(fmt: str) -> None:
    frames = moving_frames()
    image, decoded = frames_of(encode_animation(frames, scale=3, ms=120, fmt=fmt))
    assert image.format == {"gif": "GIF", "webp": "WEBP", "png": "PNG"}[fmt]
    assert image.n_frames == 5
    assert image.info["loop"] == 0
    assert image.info["duration"] == 120
    for frame, pixels in zip(frames, decoded, strict=True):
        np.testing.assert_array_equal(pixels, upscale(frame, 3))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fmt": "bmp"}, "format must be one of gif, webp, png"),
        ({"ms": 19}, "ms must be from 20 to 2000"),
        ({"ms": 2001}, "ms must be from 20 to 2000"),
    ],
)
def test_animation_refuses_bad_options(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        encode_animation(moving_frames(), **({"scale": 1, "ms": 80, "fmt": "gif"} | options))
