"""The conv discriminator in torch: stride-2 convs or residual blocks, spectral norm or none.

    discriminator = ConvDiscriminator(grid=40)          # (B, 1, 40, 40) -> logits (B,)
    discriminator = ConvDiscriminator(grid=40, channels=(64, 128, 256), minibatch_std=True)

4x4 stride-2 convolutions halving the grid down to 5x5, then one linear logit, all under
spectral norm, which bounds D's Lipschitz constant and keeps the small data regime from
letting D run away from G. With `minibatch_std`, the last map gains one channel holding the
standard deviation of the features across groups of 4 images (ProGAN/StyleGAN): D can then
see a batch with too little variety, which pushes G away from collapse.
"""

from __future__ import annotations

import itertools
import math

import torch
from pixelgan.model.config import LEAKY_SLOPE
from pixelgan.model.conv_layout import DISCRIMINATOR_NORMS
from pixelgan.model.errors import ConfigError
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

_HALF_SQRT2 = 1 / math.sqrt(2)
DEFAULT_CHANNELS = (32, 64, 128)


class ConvDiscriminator(nn.Module):
    """(B, 1, grid, grid) -> one logit per image; stride-2 convs, or residual blocks.

    norm "spectral" puts every layer under spectral norm (the Lipschitz bound keeps a small
    data set from letting D run away); "none" leaves D free, for runs that regularise it
    with the R1 penalty instead (StyleGAN2). `residual` swaps each 4x4 stride-2 conv for a
    block of two 3x3 convs around an average pool, with an average-pool + 1x1 skip beside
    it (BigGAN/StyleGAN2's D): deeper for the same resolutions, and the skip keeps its
    gradients from fading.
    """

    def __init__(
        self,
        *,
        grid: int = 40,
        channels: tuple[int, ...] = DEFAULT_CHANNELS,
        minibatch_std: bool = False,
        norm: str = "spectral",
        residual: bool = False,
        image_channels: int = 1,
    ) -> None:
        super().__init__()
        if norm not in DISCRIMINATOR_NORMS:
            raise ConfigError(f"discriminator norm must be one of {DISCRIMINATOR_NORMS}, got {norm!r}")
        wrap = spectral_norm if norm == "spectral" else (lambda layer: layer)
        # As many halvings as the grid allows, up to one per width (40 -> 20 -> 10 -> 5).
        halvings = 0
        while halvings < len(channels) and grid % 2 ** (halvings + 1) == 0:
            halvings += 1
        channels = channels[:halvings]
        stride = 2**halvings
        layers: list[nn.Module] = []
        if residual and channels:
            stem = max(1, channels[0] // 2)
            layers += [wrap(nn.Conv2d(image_channels, stem, 3, padding=1)), nn.LeakyReLU(LEAKY_SLOPE)]
            layers += [ResidualDown(fan_in, fan_out, wrap) for fan_in, fan_out in itertools.pairwise((stem, *channels))]
        else:
            for fan_in, fan_out in itertools.pairwise((image_channels, *channels)):
                layers += [wrap(nn.Conv2d(fan_in, fan_out, 4, stride=2, padding=1)), nn.LeakyReLU(LEAKY_SLOPE)]
        side = grid // stride
        width = channels[-1] if channels else 1
        if minibatch_std:
            layers.append(MinibatchStd())
            width += 1
        layers += [nn.Flatten(), wrap(nn.Linear(width * side * side, 1))]
        self.net = nn.Sequential(*layers)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images).squeeze(1)  # (B,)


class ResidualDown(nn.Module):
    """(B, C_in, H, W) -> (B, C_out, H/2, W/2): conv, LeakyReLU, avg pool, conv, LeakyReLU, plus a skip.

    The skip is avg pool + 1x1 conv; the sum is scaled by 1/sqrt(2) to keep its variance.
    Pooling before the second conv does its work at a quarter of the positions.
    """

    def __init__(self, fan_in: int, fan_out: int, wrap) -> None:
        super().__init__()
        self.conv1 = wrap(nn.Conv2d(fan_in, fan_in, 3, padding=1))
        self.conv2 = wrap(nn.Conv2d(fan_in, fan_out, 3, padding=1))
        self.skip = wrap(nn.Conv2d(fan_in, fan_out, 1, bias=False))
        self.activation = nn.LeakyReLU(LEAKY_SLOPE)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        main = nn.functional.avg_pool2d(self.activation(self.conv1(x)), 2)
        main = self.activation(self.conv2(main))
        return (main + self.skip(nn.functional.avg_pool2d(x, 2))) * _HALF_SQRT2


class MinibatchStd(nn.Module):
    """(B, C, H, W) -> (B, C + 1, H, W): appends the mean feature std within groups of `group` images."""

    def __init__(self, group: int = 4) -> None:
        super().__init__()
        self.group = group

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, channels, height, width = x.shape
        group = math.gcd(batch, self.group)  # a short last batch gets smaller groups
        grouped = x.view(group, -1, channels, height, width)  # (G, B/G, C, H, W)
        std = (grouped.var(dim=0, unbiased=False) + 1e-8).sqrt()  # (B/G, C, H, W)
        per_group = std.mean(dim=(1, 2, 3)).view(-1, 1, 1, 1)  # (B/G, 1, 1, 1)
        return torch.cat([x, per_group.repeat(group, 1, height, width)], dim=1)


def conv_discriminator(
    *,
    grid: int,
    channels: tuple[int, ...] = (),
    minibatch_std: bool = False,
    norm: str = "spectral",
    residual: bool = False,
    image_channels: int = 1,
) -> ConvDiscriminator:
    """The conv generator's discriminator, as training's options shape it (no channels: the defaults)."""
    return ConvDiscriminator(
        grid=grid,
        channels=tuple(channels) or DEFAULT_CHANNELS,
        minibatch_std=minibatch_std,
        norm=norm,
        residual=residual,
        image_channels=image_channels,
    )
