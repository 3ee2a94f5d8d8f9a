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
from pixelgan.model.config import LEAKY_SLOPE, GeneratorConfig, attention_index, conv_stride
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
        return torch.tanh(self.to_image(x))  # (B, 1, grid, grid)


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
        channels: tuple[int, ...] = (32, 64, 128),
        minibatch_std: bool = False,
        norm: str = "spectral",
        residual: bool = False,
    ) -> None:
        super().__init__()
        if norm not in D_NORMS:
            raise ValueError(f"discriminator norm must be one of {D_NORMS}, got {norm!r}")
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
            layers += [wrap(nn.Conv2d(1, stem, 3, padding=1)), nn.LeakyReLU(LEAKY_SLOPE)]
            layers += [ResidualDown(fan_in, fan_out, wrap) for fan_in, fan_out in itertools.pairwise((stem, *channels))]
        else:
            for fan_in, fan_out in itertools.pairwise((1, *channels)):
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


_HALF_SQRT2 = 1 / math.sqrt(2)
D_NORMS = ("spectral", "none")


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
