"""Shared fixtures: small generator files and photos made at test time (no dataset needed)."""

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
from pixelgan.model import render
from pixelgan.model.architectures import parameter_shapes
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.generator_file import save_generator

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
