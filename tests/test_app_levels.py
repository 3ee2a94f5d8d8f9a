"""levels, dither and crop on /generate, /grid and /pixelate; the render version in ETags;
OpenAPI's ranges and media types."""

from __future__ import annotations

import io
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pixelgan.model import face_detect, render
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.png import encode_png
from pixelgan.model.quantize import level_values, quantize
from pixelgan.model.sheet import contact_sheet, unit_to_uint8

from tests.conftest import photo_bytes
from tests.test_face_crop import face_square_grid


@pytest.fixture
def client(post_client: TestClient) -> TestClient:
    return post_client


def pixels(response) -> np.ndarray:
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    return np.asarray(image.convert("L") if image.mode == "1" else image)


def upload(client: TestClient, **params):
    return client.post("/pixelate", files={"file": ("photo.png", photo_bytes((300, 240)))}, params=params)


@pytest.mark.parametrize(
    ("path", "params"), [("/generate", {"seed": 4}), ("/grid", {"seed": 4, "n": 4}), ("/generate", {"seed": 9})]
)
def test_256_levels_without_dither_are_todays_bytes(client: TestClient, path: str, params: dict) -> None:
    default = client.get(path, params=params)
    explicit = client.get(path, params=params | {"levels": 256, "dither": "none"})
    assert explicit.content == default.content
    assert explicit.headers["etag"] == default.headers["etag"]


def test_256_levels_without_dither_are_todays_pixelate_bytes(client: TestClient) -> None:
    assert upload(client, levels=256, dither="none").content == upload(client).content


def test_generate_at_levels_is_the_face_quantised_then_upscaled(client: TestClient, post_generator_path: Path) -> None:
    face = NumpyGenerator.from_file(str(post_generator_path)).faces_for_seeds([4])[0]
    for levels, dither in [(2, "none"), (4, "bayer4"), (8, "floyd"), (3, "bayer8")]:
        response = client.get("/generate", params={"seed": 4, "scale": 3, "levels": levels, "dither": dither})
        assert response.content == encode_png(quantize(face, levels, dither), 3)
        assert set(np.unique(pixels(response))) <= set(level_values(levels).tolist())


def test_every_byte_changing_parameter_changes_bytes_and_etag(client: TestClient) -> None:
    variants = [{}, {"levels": 4}, {"levels": 4, "dither": "bayer2"}, {"levels": 4, "dither": "floyd"}, {"levels": 5}]
    responses = [client.get("/generate", params={"seed": 4} | variant) for variant in variants]
    assert len({response.content for response in responses}) == len(variants)
    assert len({response.headers["etag"] for response in responses}) == len(variants)
    etag = responses[1].headers["etag"]
    assert client.get("/generate", params={"seed": 4, "levels": 4}, headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/generate", params={"seed": 4, "levels": 5}, headers={"If-None-Match": etag}).status_code == 200


def test_etag_names_the_render_version(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    etag = client.get("/generate", params={"seed": 4}).headers["etag"]
    assert f"-r{render.RENDER_VERSION}-" in etag
    monkeypatch.setattr(render, "RENDER_VERSION", render.RENDER_VERSION + 1)
    response = client.get("/generate", params={"seed": 4}, headers={"If-None-Match": etag})
    assert response.status_code == 200  # a cache holding the old version's bytes must refetch
    assert response.headers["etag"] != etag


def test_grid_quantises_each_face_on_its_own(client: TestClient, post_generator_path: Path) -> None:
    faces = NumpyGenerator.from_file(str(post_generator_path)).faces_for_seeds(range(10, 14))
    response = client.get("/grid", params={"seed": 10, "n": 4, "scale": 1, "levels": 2, "dither": "floyd"})
    np.testing.assert_array_equal(pixels(response), contact_sheet(quantize(faces, 2, "floyd")))


def test_pixelate_quantises_grey_and_each_colour_channel(client: TestClient) -> None:
    grey = pixels(upload(client, scale=1, levels=3, dither="bayer4"))
    assert set(np.unique(grey)) <= {0, 128, 255}
    plain = pixels(upload(client, scale=1, color="true"))
    colour = pixels(upload(client, scale=1, color="true", levels=2, dither="floyd"))
    assert colour.shape == (40, 40, 3)
    np.testing.assert_array_equal(colour, quantize(plain, 2, "floyd", color=True))


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"levels": 1}, "levels (query) must be an integer from 2 to 256"),
        ({"levels": 257}, "levels (query) must be an integer from 2 to 256"),
        ({"levels": "many"}, "levels (query) must be an integer from 2 to 256"),
        ({"dither": "bayer3"}, "dither (query) must be one of none, bayer2, bayer4, bayer8, floyd"),
    ],
)
@pytest.mark.parametrize("path", ["/generate", "/grid"])
def test_bad_levels_or_dither_is_422_with_the_range(client: TestClient, path: str, params: dict, words: str) -> None:
    response = client.get(path, params={"seed": 1} | params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_parameter"
    assert words in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "words"),
    [({"levels": 0}, "levels (query) must be"), ({"dither": "ordered"}, "dither (query) must be one of")],
)
def test_bad_pixelate_levels_or_dither_is_422(client: TestClient, params: dict, words: str) -> None:
    response = upload(client, **params)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_face_crop_cuts_around_the_detected_face(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    face = (180.0, 120.0, 240.0, 180.0)  # a 60 px face box in the photo's lower right
    monkeypatch.setattr("pixelgan.model.images.detect_face", lambda image: face)
    expected = unit_to_uint8(face_square_grid(photo_bytes((300, 240)), face, 40))
    np.testing.assert_array_equal(pixels(upload(client, crop="face", scale=1)), expected)


def test_face_crop_without_a_face_is_422(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pixelgan.model.images.detect_face", lambda image: None)
    response = upload(client, crop="face")
    assert response.status_code == 422
    assert response.json() == {
        "code": "no_face",
        "detail": "no face was found in the image (crop=face needs one frontal face)",
    }


@pytest.mark.skipif(not face_detect.detector_available(), reason="dlib-bin (the face extra) is not installed")
def test_face_crop_with_the_real_detector_finds_no_face_in_a_gradient(client: TestClient) -> None:
    response = upload(client, crop="face")
    assert response.status_code == 422
    assert response.json()["code"] == "no_face"


def test_face_crop_without_the_detector_package_is_501(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dlib", None)  # `import dlib` now raises ImportError
    monkeypatch.setattr(face_detect, "_per_thread", threading.local())  # forget detectors already built
    response = upload(client, crop="face")
    assert response.status_code == 501
    assert response.json()["code"] == "face_detector_missing"
    assert "pip install 'pixelgan[face]'" in response.json()["detail"]
    assert not face_detect.detector_available()
    assert upload(client, crop="center").status_code == 200


def test_bad_crop_is_422_with_the_choices(client: TestClient) -> None:
    response = upload(client, crop="eyes")
    assert response.status_code == 422
    assert "crop (query) must be one of center, face" in response.json()["detail"]


def test_openapi_states_each_parameter_range_and_media_type(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert client.get("/docs").status_code == 200

    def schema(path: str, method: str, name: str) -> dict:
        parameters = {parameter["name"]: parameter for parameter in paths[path][method]["parameters"]}
        return parameters[name]["schema"]

    for path, method in [("/generate", "get"), ("/grid", "get"), ("/pixelate", "post"), ("/morph", "get")]:
        levels = schema(path, method, "levels")
        assert (levels["minimum"], levels["maximum"], levels["default"]) == (2, 256, 256)
        assert schema(path, method, "dither")["enum"] == ["none", "bayer2", "bayer4", "bayer8", "floyd"]
    assert schema("/pixelate", "post", "crop")["enum"] == ["center", "face"]
    frames, ms = schema("/morph", "get", "frames"), schema("/morph", "get", "ms")
    assert (frames["minimum"], frames["maximum"], ms["minimum"], ms["maximum"]) == (2, 120, 20, 2000)
    assert schema("/morph", "get", "format")["enum"] == ["gif", "webp", "png"]
    assert (schema("/morph", "get", "from")["minimum"], schema("/morph", "get", "to")["maximum"]) == (0, 2**32 - 1)
    assert set(paths["/morph"]["get"]["responses"]["200"]["content"]) == {"image/gif", "image/webp", "image/png"}
    seed = schema("/generate", "get", "seed")["anyOf"][0]
    assert (seed["minimum"], seed["maximum"]) == (0, 2**32 - 1)
    for path, method in [("/generate", "get"), ("/grid", "get"), ("/pixelate", "post")]:
        assert set(paths[path][method]["responses"]["200"]["content"]) == {"image/png"}
