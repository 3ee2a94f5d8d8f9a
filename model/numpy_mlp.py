"""The post's MLP generator in numpy (what serving runs for arch "mlp"), and its parameter shapes.

    forward = MlpForward(config, arrays)
    images = forward(latents)                      # (B, latent_dim) -> (B, grid, grid)
    mlp_parameter_shapes(config)                   # {"net.0.weight": (128, 100), ...}

Parameter names are those of the torch `MLPGenerator`'s state dict, which exports as it is.
"""

from __future__ import annotations

import itertools

import numpy as np
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig
from pixelgan.model.errors import ConfigError


def check_mlp_config(config: GeneratorConfig) -> None:
    """Raise ConfigError for settings the MLP does not have."""
    if config.attention:
        raise ConfigError(f"attention is a conv generator setting; the mlp has none (got attention {config.attention})")
    if config.channels != 1:
        raise ConfigError(f"the mlp makes grey images only; use arch conv for colour (got channels {config.channels})")


def mlp_parameter_shapes(config: GeneratorConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every Linear's weight and bias, latent -> hidden... -> grid * grid."""
    widths = [config.latent_dim, *config.hidden, config.grid * config.grid]
    shapes: dict[str, tuple[int, ...]] = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
        index = 2 * layer  # each Linear is followed by an activation in the Sequential
        shapes[f"net.{index}.weight"] = (fan_out, fan_in)
        shapes[f"net.{index}.bias"] = (fan_out,)
    return shapes


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
