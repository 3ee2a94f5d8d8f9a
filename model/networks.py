"""The post's networks in torch (an MLP generator and discriminator), and the dispatch by arch.

    generator = build_generator(GeneratorConfig())      # latent (B, 100) -> (B, 1, 40, 40)
    discriminator = Discriminator(grid=40)              # (B, 1, 40, 40) -> logits (B,)

Generator: latent -> 128 -> 512 -> grid*grid, LeakyReLU(0.2) between, Tanh at the end; it is
trained on images in [-1, 1] so its range and the data's agree (the post fed it [0, 1]).
Discriminator: grid*grid -> 128 -> 1 with LeakyReLU(0.2). It returns logits: the loss applies
the sigmoid (`BCEWithLogitsLoss`), which is the post's Sigmoid + BCELoss without its
overflow at saturated outputs. Parameter names match `model.config.parameter_shapes`.
The conv pair lives in `model.conv_networks`; `build_generator` and `build_discriminator`
pick by `config.arch`. Importing this module imports torch; the serving path never does.
"""

from __future__ import annotations

import itertools

import torch
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig
from pixelgan.model.conv_networks import ConvDiscriminator, ConvGenerator, folded_arrays
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


def build_generator(config: GeneratorConfig) -> nn.Module:
    """The torch generator for `config.arch`."""
    return ConvGenerator(config) if config.arch == "conv" else MLPGenerator(config)


def build_discriminator(
    arch: str,
    *,
    grid: int,
    channels: tuple[int, ...] | None = None,
    minibatch_std: bool = False,
    norm: str = "spectral",
    residual: bool = False,
) -> nn.Module:
    """The discriminator trained beside `arch`'s generator: the post's MLP, or the conv net.

    `channels`, `minibatch_std`, `norm` and `residual` shape the conv discriminator (channels
    None: its default widths).
    """
    if arch != "conv":
        return Discriminator(grid=grid)
    widths = {"channels": tuple(channels)} if channels else {}
    return ConvDiscriminator(grid=grid, minibatch_std=minibatch_std, norm=norm, residual=residual, **widths)


def generator_arrays(generator: nn.Module) -> dict:
    """The generator's parameters as float32 numpy arrays, ready for `save_generator`.

    The conv generator's batch norms are folded into its convolutions (eval-mode statistics).
    """
    tensors = folded_arrays(generator) if isinstance(generator, ConvGenerator) else generator.state_dict()
    return {name: tensor.detach().cpu().float().numpy() for name, tensor in tensors.items()}
