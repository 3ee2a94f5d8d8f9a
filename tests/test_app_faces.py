"""GET /generate and /grid: PNGs, determinism, ETag/304, X-Seed, parameter ranges."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model.inference import NumpyGenerator


@pytest.fixture
def client(post_generator_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(weights=post_generator_path))) as client:
        yield client


def png(response) -> np.ndarray:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    return np.asarray(Image.open(io.BytesIO(response.content)))


def test_generate_is_the_numpy_face_upscaled(client: TestClient, post_generator_path: Path) -> None:
    pixels = png(client.get("/generate", params={"seed": 42, "scale": 1}))
    expected = NumpyGenerator.from_file(str(post_generator_path)).faces_for_seeds([42])[0]
    np.testing.assert_array_equal(pixels, expected)
    big = png(client.get("/generate", params={"seed": 42}))
    assert big.shape == (320, 320)
    np.testing.assert_array_equal(big[::8, ::8], expected)


def test_same_seed_same_bytes_across_apps(client: TestClient, post_generator_path: Path) -> None:
    first = client.get("/generate?seed=7").content
    assert client.get("/generate?seed=7").content == first
    with TestClient(create_app(Settings(weights=post_generator_path))) as restarted:
        assert restarted.get("/generate?seed=7").content == first
    assert client.get("/generate?seed=8").content != first


def test_seeded_response_is_immutable_with_etag_and_304(client: TestClient) -> None:
    response = client.get("/generate?seed=5")
    etag = response.headers["etag"]
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-seed"] == "5"
    again = client.get("/generate?seed=5", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert client.get("/generate?seed=5", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get("/generate?seed=5&scale=2", headers={"If-None-Match": etag}).status_code == 200
    assert client.get("/generate?seed=6", headers={"If-None-Match": etag}).status_code == 200


def test_random_seed_comes_back_in_x_seed(client: TestClient) -> None:
    response = client.get("/generate")
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers
    seed = int(response.headers["x-seed"])
    assert client.get("/generate", params={"seed": seed}).content == response.content


@pytest.mark.parametrize("seed", ["-1", "4294967296", "abc", "1.5", ""])
def test_bad_seed_is_422_with_the_range(client: TestClient, seed: str) -> None:
    response = client.get("/generate", params={"seed": seed})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert "seed (query)" in body["detail"]


def test_largest_seed_is_accepted(client: TestClient) -> None:
    assert client.get("/generate", params={"seed": 2**32 - 1, "scale": 1}).status_code == 200


@pytest.mark.parametrize("scale", ["0", "200", "x"])
def test_bad_scale_is_422(client: TestClient, scale: str) -> None:
    response = client.get("/generate", params={"seed": 1, "scale": scale})
    assert response.status_code == 422
    assert "scale" in response.json()["detail"]


def test_grid_is_one_sheet_of_consecutive_seeds(client: TestClient, post_generator_path: Path) -> None:
    sheet = png(client.get("/grid", params={"seed": 10, "n": 4, "scale": 1}))
    faces = NumpyGenerator.from_file(str(post_generator_path)).faces_for_seeds([10, 11, 12, 13])
    assert sheet.shape == (83, 83)  # 2x2 faces of 40 with 1 px gaps
    np.testing.assert_array_equal(sheet[1:41, 1:41], faces[0])
    np.testing.assert_array_equal(sheet[42:82, 42:82], faces[3])


def test_grid_of_64_and_its_limits(client: TestClient) -> None:
    assert png(client.get("/grid", params={"seed": 0, "n": 64, "scale": 2})).shape == (658, 658)
    assert client.get("/grid", params={"seed": 0, "n": 65}).status_code == 422
    assert client.get("/grid", params={"seed": 2**32 - 1, "n": 2}).status_code == 422
    too_big = client.get("/grid", params={"seed": 0, "n": 64, "scale": 20})
    assert too_big.status_code == 422
    assert "over the limit of 4096" in too_big.json()["detail"]


@pytest.mark.parametrize(
    ("path", "params"),
    [("/generate", {"scale": 103}), ("/generate", {"seed": 1, "scale": 4096}), ("/grid", {"n": 64, "scale": 13})],
)
def test_oversized_output_is_422_before_any_face_is_made(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str, params: dict
) -> None:
    generator = client.app.state.models.default.generator
    monkeypatch.setattr(generator, "faces_for_seeds", lambda seeds: pytest.fail("a face was made for a refused size"))
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert "over the limit of 4096; lower scale" in response.json()["detail"]


def test_grid_etag_and_random_seed(client: TestClient) -> None:
    response = client.get("/grid", params={"seed": 3, "n": 4})
    assert (
        client.get("/grid", params={"seed": 3, "n": 4}, headers={"If-None-Match": response.headers["etag"]}).status_code
        == 304
    )
    random = client.get("/grid", params={"n": 4})
    assert random.headers["cache-control"] == "no-store"
    assert client.get("/grid", params={"seed": random.headers["x-seed"], "n": 4}).content == random.content


def test_conv_generator_is_served_like_the_mlp(tmp_path: Path) -> None:
    from pixelgan.model.config import GeneratorConfig
    from pixelgan.model.sheet import contact_sheet

    from tests.conftest import write_generator

    path = write_generator(tmp_path / "conv.safetensors", GeneratorConfig(arch="conv", hidden=(32, 16, 8, 4)))
    with TestClient(create_app(Settings(weights=path))) as conv_client:
        assert conv_client.get("/model").json()["architecture"]["arch"] == "conv"
        pixels = png(conv_client.get("/generate", params={"seed": 3, "scale": 1}))
        np.testing.assert_array_equal(pixels, NumpyGenerator.from_file(str(path)).faces_for_seeds([3])[0])
        sheet = png(conv_client.get("/grid", params={"seed": 0, "n": 12, "scale": 1}))
        faces = NumpyGenerator.from_file(str(path)).faces_for_seeds(range(12))
        np.testing.assert_array_equal(sheet, contact_sheet(faces))  # 4 columns x 3 rows of 40x40
