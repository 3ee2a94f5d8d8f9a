"""The post's networks in torch: an MLP generator and discriminator.

    generator = MLPGenerator(GeneratorConfig())         # latent (B, 100) -> (B, 1, 40, 40)
    discriminator = Discriminator(grid=40)              # (B, 1, 40, 40) -> logits (B,)

Generator: latent -> 128 -> 512 -> grid*grid, LeakyReLU(0.2) between, Tanh at the end; it is
trained on images in [-1, 1] so its range and the data's agree (the post fed it [0, 1]).
Discriminator: grid*grid -> 128 -> 1 with LeakyReLU(0.2). It returns logits: the loss applies
the sigmoid (`BCEWithLogitsLoss`), which is the post's Sigmoid + BCELoss without its
overflow at saturated outputs. The generator's state dict is its generator file's arrays
as it is (names as `model.numpy_mlp.mlp_parameter_shapes`).
"""

from __future__ import annotations

import itertools

import torch
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig
from torch import nn


class MLPGenerator(nn.Module):
    """The post's generator: Linear/LeakyReLU layers of `config.hidden` widths, then Tanh."""

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__()
        self.config = config
        widths = [config.latent_dim, *config.hidden, config.grid * config.grid]
        layers: list[nn.Module] = []
        for fan_in, fan_out in itertools.pairwise(widths):
            layers += [nn.Linear(fan_in, fan_out), nn.LeakyReLU(LEAKY_SLOPE)]
        layers[-1] = nn.Tanh()
        self.net = nn.Sequential(*layers)

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        grid = self.config.grid
        return self.net(latents).view(-1, 1, grid, grid)  # (B, 1, grid, grid)


class Discriminator(nn.Module):
    """The post's discriminator: grid*grid -> hidden -> 1, returning one logit per image."""

    def __init__(self, *, grid: int = 40, hidden: int = 128) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(grid * grid, hidden),
            nn.LeakyReLU(LEAKY_SLOPE),
            nn.Linear(hidden, 1),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images).squeeze(1)  # (B,)


def mlp_discriminator(*, grid: int, **conv_options: object) -> Discriminator:
    """The post's discriminator; the conv discriminator's options (channels, norm, ...) do not apply."""
    return Discriminator(grid=grid)


def state_arrays(generator: nn.Module) -> dict[str, torch.Tensor]:
    """The generator's parameters as its file stores them: its state dict, unchanged."""
    return generator.state_dict()
