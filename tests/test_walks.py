"""Walk faceness: middle frames lie on the arc between the seeds' latents, rates and ratio."""

from __future__ import annotations

import numpy as np
import pytest
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.inference import NumpyGenerator
from pixelgan.training import walks


class ShellGenerator(NumpyGenerator):
    """Draws white where the latent lies near the Gaussian shell (radius about sqrt(D)), black inside."""

    def __init__(self) -> None:
        self.config = GeneratorConfig(latent_dim=256, grid=8)
        self.model_id = "shell"

    def forward(self, latents: np.ndarray) -> np.ndarray:
        radius = np.linalg.norm(latents, axis=1) / np.sqrt(latents.shape[1])
        return np.where(radius > 0.8, 1.0, -1.0)[:, None, None] * np.ones((1, 8, 8), np.float32)


def white_is_a_face(grids: np.ndarray, *, detectors: tuple[str, ...]) -> dict[str, float]:
    return {name: float((grids.reshape(len(grids), -1).mean(axis=1) > 127).mean()) for name in detectors}


def test_walk_middles_stay_on_the_shell_and_the_ratio_compares_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walks, "faceness", white_is_a_face)
    rates = walks.walk_faceness(ShellGenerator(), pairs=50)
    # A straight line's midpoint has radius about 0.71 of the shell and would be black.
    assert rates == {"pairs": 50, "ends": 1.0, "middle": 1.0, "middle_over_ends": 1.0}


def test_walk_ratio_is_zero_when_no_end_is_a_face(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walks, "faceness", lambda grids, *, detectors: dict.fromkeys(detectors, 0.0))
    assert walks.walk_faceness(ShellGenerator(), pairs=4)["middle_over_ends"] == 0.0
