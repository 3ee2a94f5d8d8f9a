"""The generator architectures: one record each, looked up once by a config's `arch`. No torch.

    record = architecture(config.arch)              # ConfigError naming the known ones if unknown
    record.parameter_shapes(config)                 # {"project.weight": (6400, 100), ...}
    forward = record.numpy_forward(config, arrays)  # what serving runs: latents -> images
    parameter_shapes(config)                        # the same lookup, for callers holding a config

A record holds what the torch-free side knows of an architecture: its default widths, the
checks on a config beyond `GeneratorConfig`'s generic ones, the names and shapes of the
parameters in its generator file, and its numpy forward. The torch side (generator,
discriminator, export to arrays) is one table keyed the same, `model.networks.TORCH_ARCHITECTURES`.
Adding an architecture is one record here, one entry there, its numpy and torch modules, and
tests (README, "Adding an architecture"). A setting only some architectures have (today
`attention`; an image channel count would be another) is a `GeneratorConfig` field left out
of files at its default, which each record's `check` accepts or refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.conv_layout import check_conv_config, conv_parameter_shapes
from pixelgan.model.errors import ConfigError
from pixelgan.model.numpy_conv import ConvForward
from pixelgan.model.numpy_mlp import MlpForward, check_mlp_config, mlp_parameter_shapes

# (config, arrays) -> a callable mapping (B, latent_dim) float32 latents to (B, grid, grid) in [-1, 1].
NumpyForwardBuilder = Callable[[GeneratorConfig, dict[str, np.ndarray]], Callable[[np.ndarray], np.ndarray]]


@dataclass(frozen=True)
class Architecture:
    """One generator architecture, as the torch-free model package knows it.

    name: the `arch` of configs and generator files. summary: one line for help texts.
    default_hidden: the widths a config gets when it names none.
    check: raises ConfigError for a config this architecture cannot build.
    parameter_shapes: name -> shape of every array its generator file holds (torch layout).
    numpy_forward: builds the forward that serving runs from a config and those arrays.
    """

    name: str
    summary: str
    default_hidden: tuple[int, ...]
    check: Callable[[GeneratorConfig], None]
    parameter_shapes: Callable[[GeneratorConfig], dict[str, tuple[int, ...]]]
    numpy_forward: NumpyForwardBuilder


MLP = Architecture(
    name="mlp",
    summary="the post's MLP: Linear + LeakyReLU(0.2) layers of the hidden widths, then Tanh",
    default_hidden=(128, 512),  # the post's
    check=check_mlp_config,
    parameter_shapes=mlp_parameter_shapes,
    numpy_forward=MlpForward,
)
CONV = Architecture(
    name="conv",
    summary="DCGAN-style: Linear to a small map, a 2x upsample + 3x3 conv per further width, "
    "a 3x3 conv to the image, Tanh; optional self-attention",
    default_hidden=(256, 128, 64, 32),  # the shipped generator's: 5 -> 10 -> 20 -> 40
    check=check_conv_config,
    parameter_shapes=conv_parameter_shapes,
    numpy_forward=ConvForward,
)
ARCHITECTURES: dict[str, Architecture] = {record.name: record for record in (MLP, CONV)}


def architecture(name: str) -> Architecture:
    """The record of architecture `name`; ConfigError naming the known ones when there is none."""
    record = ARCHITECTURES.get(name)
    if record is None:
        raise ConfigError(f"unknown architecture {name!r}; known: {', '.join(ARCHITECTURES)}")
    return record


def parameter_shapes(config: GeneratorConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter the generator of `config` has, in torch's layout."""
    return architecture(config.arch).parameter_shapes(config)
