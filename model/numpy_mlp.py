"""The post's MLP generator as numpy matrix products (what serving runs for arch "mlp").

forward = MlpForward(config, arrays)
images = forward(latents)                      # (B, latent_dim) -> (B, grid, grid)
"""

from __future__ import annotations

import numpy as np
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig


class MlpForward:
    """Linear layers with LeakyReLU(0.2) between and Tanh after, equal to `MLPGenerator`."""

    def __init__(self, config: GeneratorConfig, arrays: dict[str, np.ndarray]) -> None:
        self.grid = config.grid
        layers = len(config.hidden) + 1
        # (in, out) layout so a batch of row vectors multiplies on the left without a transpose.
        self._weights = [np.ascontiguousarray(arrays[f"net.{2 * k}.weight"].T) for k in range(layers)]
        self._biases = [arrays[f"net.{2 * k}.bias"] for k in range(layers)]

    def __call__(self, latents: np.ndarray) -> np.ndarray:
        """(B, latent_dim) float32 -> (B, grid, grid) float32 in [-1, 1]."""
        x = latents
        last = len(self._weights) - 1
        for k, (weight, bias) in enumerate(zip(self._weights, self._biases, strict=True)):
            x = x @ weight
            x += bias
            if k < last:
                np.maximum(x, LEAKY_SLOPE * x, out=x)  # LeakyReLU for slope < 1
        np.tanh(x, out=x)
        return x.reshape(-1, self.grid, self.grid)
