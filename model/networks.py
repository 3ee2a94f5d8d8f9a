"""The torch side of each architecture: generator, discriminator and export, keyed by `arch`.

    networks = torch_architecture(config.arch)      # ConfigError naming the known ones if unknown
    generator = networks.generator(config)          # latent (B, latent_dim) -> (B, 1, grid, grid)
    discriminator = networks.discriminator(grid=40, channels=(), norm="spectral", image_channels=1)
    arrays = generator_arrays(generator)            # float32 numpy arrays for `save_generator`

The torch-free facts of each architecture (default widths, checks, parameter shapes, numpy
forward) are its record in `model.architectures`; this table holds the rest, under the same
names, and a test holds the two key sets equal. Importing this module imports torch; the
serving path never does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from pixelgan.model.architectures import architecture
from pixelgan.model.config import GeneratorConfig
from pixelgan.model.conv_discriminator import conv_discriminator
from pixelgan.model.conv_networks import ConvGenerator, folded_arrays
from pixelgan.model.mlp_networks import MLPGenerator, mlp_discriminator, state_arrays
from torch import nn


@dataclass(frozen=True)
class TorchArchitecture:
    """generator: builds the trainable generator of a config (it keeps the config as `.config`).
    discriminator: builds the network trained beside it, from keyword options
        (grid, channels, minibatch_std, norm, residual, image_channels); an architecture may ignore some.
    export: the generator's arrays as its file stores them, named as the record's
        `parameter_shapes` (the conv generator folds its batch norms in here).
    """

    generator: Callable[[GeneratorConfig], nn.Module]
    discriminator: Callable[..., nn.Module]
    export: Callable[[nn.Module], dict[str, torch.Tensor]]


TORCH_ARCHITECTURES: dict[str, TorchArchitecture] = {
    "mlp": TorchArchitecture(generator=MLPGenerator, discriminator=mlp_discriminator, export=state_arrays),
    "conv": TorchArchitecture(generator=ConvGenerator, discriminator=conv_discriminator, export=folded_arrays),
}


def torch_architecture(name: str) -> TorchArchitecture:
    """The torch table's entry for `name`; ConfigError naming the known ones when there is none."""
    architecture(name)  # the registry's own error for an unknown name
    return TORCH_ARCHITECTURES[name]


def build_generator(config: GeneratorConfig) -> nn.Module:
    """The torch generator of `config`."""
    return torch_architecture(config.arch).generator(config)


def generator_arrays(generator: nn.Module) -> dict[str, np.ndarray]:
    """The generator's parameters as float32 numpy arrays, ready for `save_generator`."""
    tensors = torch_architecture(generator.config.arch).export(generator)
    return {name: tensor.detach().cpu().float().numpy() for name, tensor in tensors.items()}
