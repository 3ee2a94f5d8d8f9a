"""The conv architecture's layout: its map sides, where attention may go, its parameter shapes.

    conv_stride(config)           # 8 for four widths: 5 -> 10 -> 20 -> 40
    attention_sides(config)       # (10, 20): the inner maps a self-attention layer may follow
    conv_parameter_shapes(config) # {"project.weight": (6400, 100), ..., "to_image.bias": (1,)}

Torch- and numpy-free, so the registry (`model.architectures`), the numpy forward
(`model.numpy_conv`) and the torch generator (`model.conv_networks`) share one statement of
the geometry. Parameter names are those of the generator file: the torch modules' names,
with batch norm folded into the layer before it at export, so every layer has a bias.
"""

from __future__ import annotations

import itertools

from pixelgan.model.config import GeneratorConfig
from pixelgan.model.errors import ConfigError

# How the conv discriminator's layers may be normalised (`model.conv_discriminator`); here, so
# training's options can offer the choice without importing torch.
DISCRIMINATOR_NORMS = ("spectral", "none")


def conv_stride(config: GeneratorConfig) -> int:
    """How much the conv generator upsamples its first map: 2 per width after the first."""
    return 2 ** max(len(config.hidden) - 1, 0)


def base_side(config: GeneratorConfig) -> int:
    """The side of the first map, the one the Linear projects the latent to."""
    return config.grid // conv_stride(config)


def attention_sides(config: GeneratorConfig) -> tuple[int, ...]:
    """The sides of the maps between the first and the last (where attention may go)."""
    return tuple(base_side(config) * 2**index for index in range(1, len(config.hidden) - 1))


def attention_index(config: GeneratorConfig) -> int:
    """Index into `config.hidden` of the map that the attention layer follows."""
    return attention_sides(config).index(config.attention) + 1


def check_conv_config(config: GeneratorConfig) -> None:
    """Raise ConfigError unless the widths upsample to `grid` and `attention` names an inner map."""
    if not config.hidden:
        raise ConfigError("a conv generator needs at least one width in hidden")
    if config.grid % conv_stride(config):
        raise ConfigError(
            f"a conv generator with {len(config.hidden)} widths upsamples by {conv_stride(config)}, "
            f"so grid must be a multiple of it; got grid {config.grid}"
        )
    if config.attention and config.attention not in attention_sides(config):
        raise ConfigError(
            f"attention must be 0 or the side of one of the conv generator's inner maps "
            f"{attention_sides(config)}, got {config.attention}"
        )


def conv_parameter_shapes(config: GeneratorConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter of the conv generator, in torch's layout."""
    base = base_side(config)
    first = config.hidden[0]
    shapes: dict[str, tuple[int, ...]] = {
        "project.weight": (first * base * base, config.latent_dim),
        "project.bias": (first * base * base,),
    }
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(config.hidden)):
        shapes[f"blocks.{index}.weight"] = (fan_out, fan_in, 3, 3)
        shapes[f"blocks.{index}.bias"] = (fan_out,)
    if config.attention:
        # Query and key project to C/8, value to C/2; the output projection (back to C) has
        # the learned residual gain folded in at export.
        width = config.hidden[attention_index(config)]
        shapes["attention.query.weight"] = (max(1, width // 8), width)
        shapes["attention.key.weight"] = (max(1, width // 8), width)
        shapes["attention.value.weight"] = (max(1, width // 2), width)
        shapes["attention.out.weight"] = (width, max(1, width // 2))
    shapes["to_image.weight"] = (config.channels, config.hidden[-1], 3, 3)
    shapes["to_image.bias"] = (config.channels,)
    return shapes
