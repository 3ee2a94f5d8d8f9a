"""Shared fixtures: small generator files and photos made at test time (no dataset needed), and
the browser tests' server and Chromium (helpers for those in tests/browsing.py)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model import render
from pixelgan.model.architectures import parameter_shapes
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.generator_file import save_generator
from pixelgan.model.shipped import shipped_generator_paths
from playwright.sync_api import Page

from scripts.browser import launch_options
from tests.browsing import CHROMIUM, MAX_UPLOAD_BYTES
from tests.servers import serving_in_thread

SMALL_CONFIG = GeneratorConfig(latent_dim=8, grid=12, hidden=(16, 24))


def random_arrays(config: GeneratorConfig, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        name: (rng.standard_normal(shape) * 0.3).astype(np.float32) for name, shape in parameter_shapes(config).items()
    }


def write_generator(path: Path, config: GeneratorConfig = SMALL_CONFIG, seed: int = 0) -> Path:
    save_generator(path, config, random_arrays(config, seed), training={"dataset": "test", "epochs": 0})
    return path


@pytest.fixture
def own_blas_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh BLAS pin for the render pipeline in this test: a server running in a thread of
    this process (the browser tests') holds the shared one for the whole session."""
    monkeypatch.setattr(render, "BLAS_PIN", render.SharedBlasPin(render.BLAS_THREADS))


@pytest.fixture
def generator_path(tmp_path: Path) -> Path:
    """A small random generator file (latent 8, grid 12)."""
    return write_generator(tmp_path / "generator.safetensors")


@pytest.fixture
def post_generator_path(tmp_path: Path) -> Path:
    """A random generator file with the post's shapes (latent 100, grid 40)."""
    return write_generator(tmp_path / "post.safetensors", GeneratorConfig())


@pytest.fixture
def post_client(post_generator_path: Path) -> Iterator[TestClient]:
    """The app serving `post_generator_path`, started (lifespan run) for the test."""
    with TestClient(create_app(Settings(weights=post_generator_path))) as client:
        yield client


def photo_bytes(size: tuple[int, int] = (120, 90), mode: str = "RGB", fmt: str = "PNG", **save_options) -> bytes:
    """An image with a gradient and a dark disc, encoded in `fmt`."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    grey = (40 + 180 * x / max(width - 1, 1)).astype(np.uint8)
    grey[(x - width / 2) ** 2 + (y - height / 2) ** 2 < (min(size) / 4) ** 2] = 20
    image = Image.fromarray(np.stack([grey, grey[::-1], 255 - grey], axis=-1))
    if mode == "I;16":  # a real 16-bit image spans 0..65535; Pillow's convert would not scale
        image = Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 257)
    elif mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


# The browser tests (tests/test_page*.py), with pytest-playwright's `page`.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, **launch_options(CHROMIUM)} if CHROMIUM else browser_type_launch_args


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The service over real HTTP on a free port; pytest-playwright's pages resolve "/" against it.

    Its upload limit is 1 MiB, so an oversized upload is cheap to make. The weights are named
    (every shipped generator, the default first), not left to the environment.
    """
    weights = ",".join(str(path) for path in shipped_generator_paths())
    settings = Settings(weights=weights, max_upload_bytes=MAX_UPLOAD_BYTES)
    with serving_in_thread(create_app(settings)) as url:
        yield url


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Every console error and uncaught exception of the page, as it happens."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
