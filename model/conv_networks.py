"""The conv generator in torch: DCGAN-style upsample + conv stages, optional self-attention.

    generator = ConvGenerator(GeneratorConfig(arch="conv", hidden=(128, 64, 32, 16)))
    arrays = folded_arrays(generator)                   # what the generator file stores

Linear to a (hidden[0], 5, 5) map, then for each further width a nearest 2x upsample and a
3x3 convolution (5 -> 10 -> 20 -> 40), each followed by batch norm and LeakyReLU(0.2), then
a 3x3 convolution to one channel and Tanh. Upsample + conv rather than transposed
convolutions, which leave checkerboard artefacts that a 40x40 grid shows plainly. Its
discriminator is `model.conv_discriminator`; its layout (map sides, parameter names) is
`model.conv_layout`, shared with the numpy forward `model.numpy_conv`.
"""

from __future__ import annotations

import itertools

import torch
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig
from pixelgan.model.conv_layout import attention_index, base_side
from torch import nn


class ConvGenerator(nn.Module):
    """latent (B, latent_dim) -> (B, 1, grid, grid) in [-1, 1] through upsample + conv stages."""

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__()
        self.config = config
        self.base = base_side(config)
        first = config.hidden[0]
        self.project = nn.Linear(config.latent_dim, first * self.base * self.base, bias=False)
        self.project_norm = nn.BatchNorm2d(first)
        widths = itertools.pairwise(config.hidden)
        self.blocks = nn.ModuleList(nn.Conv2d(fan_in, fan_out, 3, padding=1, bias=False) for fan_in, fan_out in widths)
        self.norms = nn.ModuleList(nn.BatchNorm2d(width) for width in config.hidden[1:])
        self.to_image = nn.Conv2d(config.hidden[-1], config.channels, 3, padding=1)
        self.activation = nn.LeakyReLU(LEAKY_SLOPE)
        # The block after which attention runs (its output has the `config.attention` side).
        self.attention_after = attention_index(config) - 1 if config.attention else None
        self.attention = SelfAttention(config.hidden[attention_index(config)]) if config.attention else None
        for module in self.modules():  # DCGAN's N(0, 0.02) start
            if isinstance(module, nn.Conv2d | nn.Linear):
                nn.init.normal_(module.weight, 0.0, 0.02)

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        x = self.project(latents).view(-1, self.config.hidden[0], self.base, self.base)  # (B, C0, base, base)
        x = self.activation(self.project_norm(x))
        for index, (conv, norm) in enumerate(zip(self.blocks, self.norms, strict=True)):
            x = self.activation(norm(upsample_conv(x, conv.weight)))  # (B, C, 2H, 2W)
            if index == self.attention_after:
                x = self.attention(x)
        return torch.tanh(self.to_image(x))  # (B, channels, grid, grid)


class SelfAttention(nn.Module):
    """SAGAN's self-attention over a (B, C, H, W) map: x + gain * out(softmax(q^T k) v).

    Every position attends to every other, so an eye can be drawn knowing where the other
    eye went: the convolutions alone see only their 3x3 (then 6x6, ...) neighbourhoods.
    Queries and keys are C/8 wide, values C/2 (as SAGAN and BigGAN); `gain` starts at 0, so
    the layer starts as the identity and the generator learns how much to use it.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        narrow, half = max(1, channels // 8), max(1, channels // 2)
        self.query = nn.Conv2d(channels, narrow, 1, bias=False)
        self.key = nn.Conv2d(channels, narrow, 1, bias=False)
        self.value = nn.Conv2d(channels, half, 1, bias=False)
        self.out = nn.Conv2d(half, channels, 1, bias=False)
        self.gain = nn.Parameter(torch.zeros(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, _, height, width = x.shape
        query = self.query(x).flatten(2)  # (B, C/8, N)
        key = self.key(x).flatten(2)  # (B, C/8, N)
        value = self.value(x).flatten(2)  # (B, C/2, N)
        weights = torch.softmax(query.transpose(1, 2) @ key, dim=-1)  # (B, N, N): row n attends over all
        attended = (value @ weights.transpose(1, 2)).view(batch, -1, height, width)  # (B, C/2, H, W)
        return x + self.gain * self.out(attended)


def upsample_conv(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """conv3x3(nearest_upsample_2x(x), weight, padding 1), computed on the small map.

    Each output phase (row parity py, column parity px) of the upsampled conv sees only two
    rows and two columns of `x`, so it is a 2x2 convolution whose taps are sums of the 3x3
    taps (`_phase_kernels`): 16 multiply-adds per output instead of 36. The four phases run
    as one convolution with 4 x C_out channels and are interleaved back. The numpy forward
    (`model.numpy_conv`) does the same; training gets the same speed-up (about 2x for the
    generator's backward too).
    """
    batch, _, height, width = x.shape
    out = weight.shape[0]
    y = nn.functional.conv2d(nn.functional.pad(x, (1, 1, 1, 1)), _phase_kernels(weight))  # (B, 4*C_out, H+1, W+1)
    y = y.view(batch, 2, 2, out, height + 1, width + 1)
    rows = [
        torch.stack([y[:, py, px, :, py : py + height, px : px + width] for px in (0, 1)], dim=-1)  # (B, C, H, W, 2)
        for py in (0, 1)
    ]
    return torch.stack(rows, dim=3).reshape(batch, out, 2 * height, 2 * width)  # (B, C, H, 2, W, 2) -> (B, C, 2H, 2W)


def _phase_kernels(weight: torch.Tensor) -> torch.Tensor:
    """(C_out, C_in, 3, 3) -> (4 * C_out, C_in, 2, 2), phases in the order (0, 0), (0, 1), (1, 0), (1, 1).

    On the padded small map, phase 0 of an axis reads (i - 1, i) with taps (w0, w1 + w2) and
    phase 1 reads (i, i + 1) with taps (w0 + w1, w2).
    """

    def fold(kernel: torch.Tensor, axis: int, phase: int) -> torch.Tensor:
        first, middle, last = kernel.unbind(axis)
        return torch.stack((first, middle + last) if phase == 0 else (first + middle, last), dim=axis)

    return torch.cat([fold(fold(weight, 2, py), 3, px) for py in (0, 1) for px in (0, 1)])


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
    if generator.attention is not None:
        attention = generator.attention
        for name in ("query", "key", "value"):
            arrays[f"attention.{name}.weight"] = getattr(attention, name).weight[:, :, 0, 0]
        arrays["attention.out.weight"] = attention.out.weight[:, :, 0, 0] * attention.gain
    arrays["to_image.weight"] = generator.to_image.weight
    arrays["to_image.bias"] = generator.to_image.bias
    return arrays


def _batch_norm_affine(norm: nn.BatchNorm2d) -> tuple[torch.Tensor, torch.Tensor]:
    """(scale, shift) that eval-mode `norm` applies per channel."""
    scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
    return scale, norm.bias - norm.running_mean * scale
