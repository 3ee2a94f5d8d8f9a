"""The render pipeline: the CLI and the service give the same bytes; every render pins BLAS."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pixelgan.model import render
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.render import pinned_blas, render_faces, render_morph, render_photo
from threadpoolctl import threadpool_limits

from pixelgan.cli import main
from tests.conftest import photo_bytes
from tests.helpers import blas_threads


def test_cli_and_service_give_the_same_bytes(
    post_client: TestClient, post_generator_path: Path, tmp_path: Path
) -> None:
    weights = ["--weights", str(post_generator_path)]
    face, walk, pixels = tmp_path / "face.png", tmp_path / "walk.webp", tmp_path / "pixels.png"
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo_bytes((300, 240)))  # PNG: the service's fast JPEG decode does not apply
    assert (
        main(
            [
                "generate",
                *weights,
                "--seed",
                "3",
                "--scale",
                "2",
                "--levels",
                "4",
                "--dither",
                "bayer4",
                "-o",
                str(face),
            ]
        )
        == 0
    )
    assert main(["morph", "3", "9", *weights, "--frames", "4", "--scale", "2", "--levels", "8", "-o", str(walk)]) == 0
    assert (
        main(
            [
                "pixelate",
                str(photo),
                "--boxes",
                "20",
                "--scale",
                "3",
                "--dither",
                "floyd",
                "--levels",
                "3",
                "-o",
                str(pixels),
            ]
        )
        == 0
    )

    served_face = post_client.get("/generate", params={"seed": 3, "scale": 2, "levels": 4, "dither": "bayer4"})
    served_walk = post_client.get(
        "/morph", params={"from": 3, "to": 9, "frames": 4, "scale": 2, "levels": 8, "format": "webp"}
    )
    upload = {"file": ("photo.png", photo.read_bytes())}
    served_pixels = post_client.post(
        "/pixelate", params={"boxes": 20, "scale": 3, "dither": "floyd", "levels": 3}, files=upload
    )
    assert face.read_bytes() == served_face.content
    assert walk.read_bytes() == served_walk.content
    assert pixels.read_bytes() == served_pixels.content
    assert served_walk.headers["content-type"] == "image/webp"


def test_every_render_runs_blas_on_one_thread(generator_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    generator = NumpyGenerator.from_file(generator_path)
    forward = generator.forward
    monkeypatch.setattr(generator, "forward", lambda latents: (seen.append(blas_threads()), forward(latents))[1])
    pixelate_photo = render.pixelate_photo
    monkeypatch.setattr(
        render, "pixelate_photo", lambda *a, **k: (seen.append(blas_threads()), pixelate_photo(*a, **k))[1]
    )
    with threadpool_limits(limits=2, user_api="blas"):
        render_faces(generator, 1)
        render_morph(generator, 1, 2, frames=2)
        render_photo(photo_bytes())
        assert blas_threads() == 2
    assert seen == [1, 1, 1]


def test_overlapping_pins_share_one_and_the_last_out_restores_it() -> None:
    with threadpool_limits(limits=2, user_api="blas"), ExitStack() as first:
        first.enter_context(pinned_blas())
        with pinned_blas():  # a second render, in another thread say, starting and ending within the first
            assert blas_threads() == 1
        assert blas_threads() == 1
        first.close()
        assert blas_threads() == 2
