"""The render pipeline: the CLI and the service give the same bytes; every render pins BLAS."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pixelgan.model import render
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.quantize import quantize
from pixelgan.model.render import pinned_blas, render_faces, render_morph, render_photo

from pixelgan.cli import main
from tests.conftest import photo_bytes, random_arrays
from tests.helpers import blas_threads, blas_threads_set_to

# (command line, request) pairs that must give the same bytes; {photo} and {out} are filled in.
SAME_BYTES = [
    (
        ["generate", "--seed", "3", "--scale", "2", "--levels", "4", "--dither", "bayer4", "-o", "{out}.png"],
        ("GET", "/generate", {"seed": 3, "scale": 2, "levels": 4, "dither": "bayer4"}),
    ),
    (
        ["morph", "3", "9", "--frames", "4", "--scale", "2", "--levels", "8", "-o", "{out}.webp"],
        ("GET", "/morph", {"from": 3, "to": 9, "frames": 4, "scale": 2, "levels": 8, "format": "webp"}),
    ),
    (
        ["pixelate", "{photo}", "--boxes", "20", "--levels", "3", "--dither", "floyd", "-o", "{out}.png"],
        ("POST", "/pixelate", {"boxes": 20, "levels": 3, "dither": "floyd"}),
    ),
]


@pytest.mark.parametrize(("command", "request_"), SAME_BYTES, ids=["generate", "morph", "pixelate"])
def test_cli_and_service_give_the_same_bytes(
    post_client: TestClient, post_generator_path: Path, tmp_path: Path, command: list[str], request_: tuple
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo_bytes((300, 240)))  # PNG: the service's fast JPEG decode does not apply
    argv = [part.format(photo=photo, out=tmp_path / "out") for part in command]
    weights = [] if command[0] == "pixelate" else ["--weights", str(post_generator_path)]
    assert main([*argv, *weights]) == 0
    method, path, params = request_
    files = {"file": ("photo.png", photo.read_bytes())} if method == "POST" else None
    served = post_client.request(method, path, params=params, files=files)
    assert served.status_code == 200
    assert Path(argv[-1]).read_bytes() == served.content


def noting_blas_threads(function: Callable, seen: list[int]) -> Callable:
    """`function`, noting in `seen` how many BLAS threads there are whenever it is called."""

    def noted(*args: object, **kwargs: object) -> object:
        seen.append(blas_threads())
        return function(*args, **kwargs)

    return noted


@pytest.mark.usefixtures("own_blas_pin")
def test_every_render_runs_blas_on_one_thread(generator_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    generator = NumpyGenerator.from_file(generator_path)
    monkeypatch.setattr(generator, "forward", noting_blas_threads(generator.forward, seen))
    monkeypatch.setattr(render, "pixelate_photo", noting_blas_threads(render.pixelate_photo, seen))
    with blas_threads_set_to(2):
        render_faces(generator, 1)
        render_morph(generator, 1, 2, frames=2)
        render_photo(photo_bytes())
        assert blas_threads() == 2
    assert seen == [1, 1, 1]


@pytest.mark.usefixtures("own_blas_pin")
def test_overlapping_pins_share_one_and_the_last_out_restores_it() -> None:
    with blas_threads_set_to(2), ExitStack() as first:
        first.enter_context(pinned_blas())
        with pinned_blas():  # a second render, in another thread say, starting and ending within the first
            assert blas_threads() == 1
        assert blas_threads() == 1
        first.close()
        assert blas_threads() == 2


def test_a_colour_generator_renders_rgb_quantised_per_channel() -> None:
    config = GeneratorConfig(arch="conv", latent_dim=8, grid=8, hidden=(8, 4), channels=3)
    generator = NumpyGenerator(config, random_arrays(config))
    face = Image.open(io.BytesIO(render_faces(generator, 5, scale=1, levels=2, dither="bayer4").data))
    expected = quantize(generator.faces_for_seeds([5]), 2, "bayer4", color=True)[0]
    assert face.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(face), expected)
    walk = Image.open(io.BytesIO(render_morph(generator, 1, 2, frames=4, fmt="png", scale=1, levels=2).data))
    assert (walk.mode, walk.n_frames, walk.size) == ("RGB", 4, (8, 8))
