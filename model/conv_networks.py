"""The conv GAN in torch: a DCGAN-style generator and a spectral-norm conv discriminator.

    generator = ConvGenerator(GeneratorConfig(arch="conv", hidden=(128, 64, 32, 16)))
    discriminator = ConvDiscriminator(grid=40)          # (B, 1, 40, 40) -> logits (B,)
    discriminator = ConvDiscriminator(grid=40, channels=(64, 128, 256), minibatch_std=True)
    arrays = folded_arrays(generator)                   # what the generator file stores

Generator: Linear to a (hidden[0], 5, 5) map, then for each further width a nearest 2x
upsample and a 3x3 convolution (5 -> 10 -> 20 -> 40), each followed by batch norm and
LeakyReLU(0.2), then a 3x3 convolution to one channel and Tanh. Upsample + conv rather than
transposed convolutions, which leave checkerboard artefacts that a 40x40 grid shows plainly.
Discriminator: 4x4 stride-2 convolutions halving the grid down to 5x5, then one linear
logit, all under spectral norm, which bounds D's Lipschitz constant and keeps the small
data regime from letting D run away from G. With `minibatch_std`, the last map gains one
channel holding the standard deviation of the features across groups of 4 images
(ProGAN/StyleGAN): D can then see a batch with too little variety, which pushes G away from
collapse.
"""

from __future__ import annotations

import itertools
import math

import torch
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig, conv_stride
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm


class ConvGenerator(nn.Module):
    """latent (B, latent_dim) -> (B, 1, grid, grid) in [-1, 1] through upsample + conv stages."""

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__()
        assert config.arch == "conv", f"ConvGenerator needs arch='conv', got {config.arch!r}"
        self.config = config
        self.base = config.grid // conv_stride(config)
        first = config.hidden[0]
        self.project = nn.Linear(config.latent_dim, first * self.base * self.base, bias=False)
        self.project_norm = nn.BatchNorm2d(first)
        widths = itertools.pairwise(config.hidden)
        self.blocks = nn.ModuleList(nn.Conv2d(fan_in, fan_out, 3, padding=1, bias=False) for fan_in, fan_out in widths)
        self.norms = nn.ModuleList(nn.BatchNorm2d(width) for width in config.hidden[1:])
        self.to_image = nn.Conv2d(config.hidden[-1], 1, 3, padding=1)
        self.activation = nn.LeakyReLU(LEAKY_SLOPE)
        for module in self.modules():  # DCGAN's N(0, 0.02) start
            if isinstance(module, nn.Conv2d | nn.Linear):
                nn.init.normal_(module.weight, 0.0, 0.02)

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        x = self.project(latents).view(-1, self.config.hidden[0], self.base, self.base)  # (B, C0, base, base)
        x = self.activation(self.project_norm(x))
        for conv, norm in zip(self.blocks, self.norms, strict=True):
            x = nn.functional.interpolate(x, scale_factor=2, mode="nearest")  # (B, C, 2H, 2W)
            x = self.activation(norm(conv(x)))
        return torch.tanh(self.to_image(x))  # (B, 1, grid, grid)


class ConvDiscriminator(nn.Module):
    """(B, 1, grid, grid) -> one logit per image; stride-2 convs under spectral norm."""

    def __init__(
        self, *, grid: int = 40, channels: tuple[int, ...] = (32, 64, 128), minibatch_std: bool = False
    ) -> None:
        super().__init__()
        # As many halvings as the grid allows, up to one per width (40 -> 20 -> 10 -> 5).
        halvings = 0
        while halvings < len(channels) and grid % 2 ** (halvings + 1) == 0:
            halvings += 1
        channels = channels[:halvings]
        stride = 2**halvings
        layers: list[nn.Module] = []
        for fan_in, fan_out in itertools.pairwise((1, *channels)):
            layers += [spectral_norm(nn.Conv2d(fan_in, fan_out, 4, stride=2, padding=1)), nn.LeakyReLU(LEAKY_SLOPE)]
        side = grid // stride
        width = channels[-1] if channels else 1
        if minibatch_std:
            layers.append(MinibatchStd())
            width += 1
        layers += [nn.Flatten(), spectral_norm(nn.Linear(width * side * side, 1))]
        self.net = nn.Sequential(*layers)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images).squeeze(1)  # (B,)


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


@torch.no_grad()
def folded_arrays(generator: ConvGenerator) -> dict[str, torch.Tensor]:
    """The eval-mode generator with each batch norm folded into the layer before it.

    BN(Wx) = scale * Wx + shift with scale = gamma / sqrt(var + eps) and
    shift = beta - mean * scale, so the folded layer is (scale * W) x + shift: the numpy
    forward then needs no batch norm at all. Names follow `parameter_shapes`.
    """
    arrays: dict[str, torch.Tensor] = {}
    scale, shift = _batch_norm_affine(generator.project_norm)
    per_row = generator.base * generator.base  # the Linear's rows are channel-major
    arrays["project.weight"] = generator.project.weight * scale.repeat_interleave(per_row)[:, None]
    arrays["project.bias"] = shift.repeat_interleave(per_row)
    for index, (conv, norm) in enumerate(zip(generator.blocks, generator.norms, strict=True)):
        scale, shift = _batch_norm_affine(norm)
        arrays[f"blocks.{index}.weight"] = conv.weight * scale[:, None, None, None]
        arrays[f"blocks.{index}.bias"] = shift
    arrays["to_image.weight"] = generator.to_image.weight
    arrays["to_image.bias"] = generator.to_image.bias
    return arrays


def _batch_norm_affine(norm: nn.BatchNorm2d) -> tuple[torch.Tensor, torch.Tensor]:
    """(scale, shift) that eval-mode `norm` applies per channel."""
    scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
    return scale, norm.bias - norm.running_mean * scale
