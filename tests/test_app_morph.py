"""GET /morph: the loop's frames, formats, caching, parameter ranges and output limits."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageSequence
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.quantize import level_values
from pixelgan.model.sheet import upscale


@pytest.fixture
def client(post_client: TestClient) -> TestClient:
    return post_client


def frames_of(response) -> list[np.ndarray]:
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    return [np.asarray(frame.convert("L")) for frame in ImageSequence.Iterator(image)]


@pytest.mark.parametrize(("fmt", "media_type"), [("gif", "image/gif"), ("webp", "image/webp"), ("png", "image/png")])
def test_morph_walks_from_a_to_b_and_back(
    client: TestClient, post_generator_path: Path, fmt: str, media_type: str
) -> None:
    response = client.get("/morph", params={"from": 3, "to": 7, "frames": 6, "scale": 2, "format": fmt, "ms": 50})
    assert response.headers["content-type"] == media_type
    frames = frames_of(response)
    assert len(frames) == 6
    ends = NumpyGenerator.from_file(str(post_generator_path)).faces_for_seeds([3, 7])
    # The same latents in a batch of another size: BLAS may sum in another order, which
    # can move a grey by one level where the value sits at a rounding boundary.
    assert np.abs(frames[0].astype(int) - upscale(ends[0], 2)).max() <= 1
    assert np.abs(frames[3].astype(int) - upscale(ends[1], 2)).max() <= 1
    assert np.mean(frames[0] == upscale(ends[0], 2)) > 0.99
    np.testing.assert_array_equal(frames[1], frames[5])
    assert Image.open(io.BytesIO(response.content)).info["loop"] == 0


def test_morph_defaults_to_a_32_frame_gif_at_scale_8(client: TestClient) -> None:
    response = client.get("/morph", params={"from": 1, "to": 2})
    assert response.headers["content-type"] == "image/gif"
    frames = frames_of(response)
    assert len(frames) == 32 and frames[0].shape == (320, 320)
    assert Image.open(io.BytesIO(response.content)).info["duration"] == 80


def test_morph_is_immutable_with_an_etag_of_every_parameter(client: TestClient) -> None:
    params = {"from": 1, "to": 2, "frames": 4, "scale": 1}
    first = client.get("/morph", params=params)
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/morph", params=params).content == first.content
    etag = first.headers["etag"]
    assert client.get("/morph", params=params, headers={"If-None-Match": etag}).status_code == 304
    changes = [
        {"to": 3},
        {"frames": 6},
        {"ms": 90},
        {"format": "png"},
        {"scale": 2},
        {"levels": 4},
        {"dither": "floyd"},
    ]
    etags = {client.get("/morph", params=params | change).headers["etag"] for change in changes}
    assert len(etags) == len(changes) and etag not in etags


def test_morph_quantises_every_frame(client: TestClient) -> None:
    response = client.get("/morph", params={"from": 1, "to": 2, "frames": 4, "levels": 2, "dither": "bayer4"})
    for frame in frames_of(response):
        assert set(np.unique(frame)) <= set(level_values(2).tolist())


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"to": 2}, "from (query) must be an integer from 0 to 4294967295"),
        ({"from": 1}, "to (query) must be an integer from 0 to 4294967295"),
        ({"from": -1, "to": 2}, "from (query) must be an integer from 0 to 4294967295"),
        ({"from": 1, "to": 2, "frames": 1}, "frames (query) must be an integer from 2 to 120"),
        ({"from": 1, "to": 2, "frames": 121}, "frames (query) must be an integer from 2 to 120"),
        ({"from": 1, "to": 2, "ms": 10}, "ms (query) must be an integer from 20 to 2000"),
        ({"from": 1, "to": 2, "ms": 2001}, "ms (query) must be an integer from 20 to 2000"),
        ({"from": 1, "to": 2, "format": "mp4"}, "format (query) must be one of gif, webp, png"),
        ({"from": 1, "to": 2, "levels": 1}, "levels (query) must be an integer from 2 to 256"),
        ({"from": 1, "to": 2, "dither": "x"}, "dither (query) must be one of none, bayer2"),
    ],
)
def test_bad_morph_parameter_is_422_with_the_range(client: TestClient, params: dict, words: str) -> None:
    response = client.get("/morph", params=params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_parameter"
    assert words in response.json()["detail"]


def test_morph_output_is_bounded_per_side_and_over_all_frames(client: TestClient) -> None:
    too_wide = client.get("/morph", params={"from": 1, "to": 2, "scale": 103})
    assert too_wide.status_code == 422
    assert "4120 px a side, over the limit of 4096" in too_wide.json()["detail"]
    too_wide_to_animate = client.get("/morph", params={"from": 1, "to": 2, "frames": 2, "scale": 39})
    assert too_wide_to_animate.status_code == 422
    assert too_wide_to_animate.json()["detail"] == (
        "each frame would be 1560x1560 px, over the animation limit of 1536 px a side; lower scale"
    )
    assert client.get("/morph", params={"from": 1, "to": 2, "frames": 2, "scale": 38}).status_code == 200
    too_many = client.get("/morph", params={"from": 1, "to": 2, "frames": 120, "scale": 12})
    assert too_many.status_code == 422
    assert too_many.json()["detail"] == (
        "the animation would be 120 frames of 480x480 px, 27.6 megapixels in all, "
        "over the limit of 16.8 megapixels; lower frames or scale"
    )
    assert client.get("/morph", params={"from": 1, "to": 2, "frames": 120, "scale": 8, "ms": 20}).status_code == 200
