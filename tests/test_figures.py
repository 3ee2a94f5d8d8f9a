"""The README's samples-beside-real figure, for grey and colour generators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.inference import NumpyGenerator
from pixelgan.training.figures import samples_beside_real

from tests.conftest import write_generator


@pytest.mark.parametrize("channels", [1, 3])
def test_faces_and_real_grids_share_one_sheet(tmp_path: Path, channels: int) -> None:
    config = GeneratorConfig(arch="conv", latent_dim=8, grid=8, hidden=(8, 4), channels=channels)
    generator = NumpyGenerator.from_file(str(write_generator(tmp_path / "g.safetensors", config)))
    grid = config.grid
    real = np.random.default_rng(0).random((10, grid, grid, 3) if channels == 3 else (10, grid, grid))
    sheet = samples_beside_real(generator, real, count=4)
    # Each side is a sheet of 8 columns (one row used), 1 px apart, with an 8 px gap between.
    assert sheet.shape[:2] == (grid + 2, 2 * (8 * (grid + 1) + 1) + 8)
    assert sheet.shape[2:] == ((3,) if channels == 3 else ())
