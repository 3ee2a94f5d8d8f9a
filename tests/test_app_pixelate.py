"""POST /pixelate: every accepted format, every bad input's status and sentence, limits."""

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
from pixelgan.model.photo import pixelate_photo

from tests.conftest import photo_bytes
from tests.crafted_images import encoded, lossless_webp_header
from tests.test_images import bomb_png


@pytest.fixture
def client(generator_path: Path) -> Iterator[TestClient]:
    settings = Settings(weights=generator_path, max_upload_bytes=2_000_000, max_pixels=5_000_000)
    with TestClient(create_app(settings)) as client:
        yield client


def upload(client: TestClient, data: bytes, name: str = "photo", **params):
    return client.post("/pixelate", files={"file": (name, data)}, params=params)


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [
        ("RGB", "JPEG"),
        ("CMYK", "JPEG"),
        ("RGBA", "PNG"),
        ("P", "PNG"),
        ("I;16", "PNG"),
        ("1", "PNG"),
        ("P", "GIF"),
        ("RGB", "WEBP"),
        ("RGB", "BMP"),
        ("RGB", "TIFF"),
    ],
)
def test_accepted_formats_give_the_grid(client: TestClient, mode: str, fmt: str) -> None:
    response = upload(client, photo_bytes((150, 120), mode=mode, fmt=fmt), scale=1)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(response.content)).size == (40, 40)


def test_result_is_the_shared_pixelate_function(client: TestClient) -> None:
    data = photo_bytes((123, 97))
    pixels = np.asarray(Image.open(io.BytesIO(upload(client, data, scale=1, boxes=20).content)))
    expected = np.rint(pixelate_photo(data, 20) * 255)
    np.testing.assert_array_equal(pixels, expected)


def test_scale_and_color(client: TestClient) -> None:
    response = upload(client, photo_bytes((90, 90)), scale=3, color="true")
    image = Image.open(io.BytesIO(response.content))
    assert (image.size, image.mode) == ((120, 120), "RGB")


@pytest.mark.parametrize(
    ("data", "params", "status", "code", "phrase"),
    [
        (b"just some text", {}, 415, "unsupported_media_type", "not an image"),
        (b"", {}, 422, "empty_file", "empty"),
        (photo_bytes((300, 300))[:900], {}, 422, "damaged_image", "damaged or truncated"),
        (photo_bytes((30, 60)), {}, 422, "image_too_small", "smaller than the 40x40 grid"),
        (bomb_png(30000, 30000), {}, 413, "image_too_large", "too many pixels"),
        (bomb_png(3000, 2000), {}, 413, "image_too_large", "over the limit of 5.0 megapixels"),
        (lossless_webp_header(16383, 2441), {}, 413, "image_too_large", "over the limit of 128 MiB per upload"),
        (encoded(Image.new("RGB", (64, 64)), "JPEG2000"), {}, 415, "unsupported_media_type", "BMP, TIFF or PGM/PPM"),
        (b"P2\n3 2\n255\n0 1 2\n3 4 5\n", {}, 415, "unsupported_media_type", "send the image as PNG or JPEG"),
        (photo_bytes((90, 90)), {"boxes": 0}, 422, "invalid_parameter", "boxes (query)"),
        (photo_bytes((90, 90)), {"boxes": 513}, 422, "invalid_parameter", "boxes (query)"),
        (photo_bytes((90, 90)), {"scale": 0}, 422, "invalid_parameter", "scale (query)"),
        (photo_bytes((90, 90)), {"boxes": 100, "scale": 50}, 422, "invalid_parameter", "over the limit of 4096"),
        (photo_bytes((90, 90)), {"color": "maybe"}, 422, "invalid_parameter", "color (query)"),
    ],
)
def test_bad_uploads_get_a_clear_4xx(client, data, params, status, code, phrase) -> None:
    response = upload(client, data, **params)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert phrase in response.json()["detail"]


def test_missing_file_is_422(client: TestClient) -> None:
    response = client.post("/pixelate", data={"other": "x"})
    assert response.status_code == 422
    assert "file (body)" in response.json()["detail"]


@pytest.mark.parametrize(
    ("request_args", "phrase"),
    [
        ({"files": {"file": (None, b"not a file")}}, "a text field was sent, not a file"),
        ({"content": b"raw bytes", "headers": {"Content-Type": "image/png"}}, "the body is not multipart/form-data"),
    ],
)
def test_a_file_field_that_is_not_a_file_is_422(client: TestClient, request_args: dict, phrase: str) -> None:
    response = client.post("/pixelate", **request_args)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_parameter"
    assert (
        f"file (body) must be a multipart form field named 'file' holding the image: {phrase}"
        in (response.json()["detail"])
    )


def test_a_form_with_two_files_is_400(client: TestClient) -> None:
    photo = photo_bytes()
    response = client.post("/pixelate", files=[("file", ("a", photo)), ("other", ("b", photo))])
    assert response.status_code == 400
    assert response.json()["code"] == "bad_multipart"
    assert "Too many files" in response.json()["detail"]


def test_creating_an_app_changes_no_starlette_class(generator_path: Path) -> None:
    from starlette.formparsers import MultiPartParser

    before = MultiPartParser.spool_max_size
    create_app(Settings(weights=generator_path, max_upload_bytes=before * 3))
    assert MultiPartParser.spool_max_size == before


def test_body_over_limit_is_413_from_content_length(client: TestClient) -> None:
    response = upload(client, b"\0" * 2_100_000)
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_body_over_limit_is_413_when_streamed_without_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(50):
            yield b"\0" * 100_000

    response = client.post("/pixelate", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert response.status_code == 413
    assert "over the limit of 2000000 bytes" in response.json()["detail"]


def test_uploads_never_touch_disk(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    data = photo_bytes((900, 700), fmt="BMP")  # over Starlette's default 1 MiB spool size
    assert len(data) > 1024 * 1024
    assert upload(client, data).status_code == 200


def test_out_of_memory_is_503_overloaded_not_a_damaged_image(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pixelgan.model import render

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError("Unable to allocate 305. MiB")

    monkeypatch.setattr(render, "pixelate_photo", exhausted)
    response = upload(client, photo_bytes())
    assert response.status_code == 503
    assert response.json()["code"] == "overloaded"
    assert int(response.headers["retry-after"]) >= 1
