"""The generator's architecture: a frozen dataclass, and the parameter shapes it implies.

    config = GeneratorConfig(arch="mlp", latent_dim=100, grid=40)
    parameter_shapes(config)   # {"net.0.weight": (128, 100), ...}
    GeneratorConfig(arch="conv")                             # hidden (256, 128, 64, 32): 5 -> 10 -> 20 -> 40

The same dict (`config.to_dict()`) is written into the generator file, so a reader rebuilds
the network, in torch or numpy, from the file alone. Parameter names follow the torch
modules in `model.networks` (the MLP's state dict exports as it is) or, for the conv
generator, the layers left after batch norm is folded into the convolutions at export.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, fields

ARCHITECTURES = ("mlp", "conv")
# Each architecture's widths when none are given: the post's MLP, and the shipped conv generator.
DEFAULT_HIDDEN = {"mlp": (128, 512), "conv": (256, 128, 64, 32)}
# The slope of every LeakyReLU, in the torch nets and the numpy forwards alike (the post's 0.2).
LEAKY_SLOPE = 0.2


@dataclass(frozen=True)
class GeneratorConfig:
    """Hyper-parameters of a generator that maps a latent vector to a `grid x grid` image.

    arch: "mlp", the post's Linear -> LeakyReLU(0.2) stack ending in Tanh; or "conv", a
        DCGAN-style stack: Linear to a (hidden[0], base, base) map, then per further width
        a nearest 2x upsample and a 3x3 convolution, then a 3x3 convolution to one channel
        and Tanh (base = grid / 2 ** (len(hidden) - 1)).
    latent_dim: length of the latent vector drawn from N(0, 1).
    grid: side of the output image in pixels (the pixelation grid, the post's `boxes`).
    hidden: the MLP's hidden layer widths, or the conv generator's channels at each
        resolution, coarsest first; left out, the architecture's `DEFAULT_HIDDEN`.
    attention: the side of the conv generator's map that a self-attention layer follows
        (SAGAN; 20 for a 5 -> 10 -> 20 -> 40 generator), or 0 for none. Left out of
        `to_dict()` when 0, so files written before it existed keep their model ids.

    `grid` is what the post, the API and the CLI call `boxes`: the user types `boxes`, the
    model stores `grid`, and the two meet in `pixelate(image, boxes)` and `--boxes`.
    """

    arch: str = "mlp"
    latent_dim: int = 100
    grid: int = 40
    hidden: tuple[int, ...] | None = None
    attention: int = 0

    def __post_init__(self) -> None:
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"arch must be one of {ARCHITECTURES}, got {self.arch!r}")
        if self.hidden is None:  # frozen: set once, here, as dataclasses' own __init__ would
            object.__setattr__(self, "hidden", DEFAULT_HIDDEN[self.arch])
        if self.latent_dim < 1 or self.grid < 1 or any(width < 1 for width in self.hidden):
            raise ValueError(f"latent_dim, grid and hidden widths must be positive: {self}")
        if self.arch == "conv" and (not self.hidden or self.grid % conv_stride(self)):
            raise ValueError(
                f"a conv generator with {len(self.hidden)} widths upsamples by {conv_stride(self)}, "
                f"so grid must be a multiple of it; got grid {self.grid}"
            )
        if self.attention and (self.arch != "conv" or self.attention not in attention_sides(self)):
            raise ValueError(
                f"attention must be 0 or the side of one of the conv generator's inner maps "
                f"{attention_sides(self) if self.arch == 'conv' else ()}, got {self.attention}"
            )

    def to_dict(self) -> dict:
        """The JSON-ready form stored in generator files."""
        data = asdict(self) | {"hidden": list(self.hidden)}
        if not self.attention:
            del data["attention"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> GeneratorConfig:
        """Rebuild a config from `to_dict()` output; unknown or ill-typed fields raise ValueError."""
        known = {field.name for field in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown config fields {sorted(unknown)}")
        values = dict(data)
        if "hidden" in values:
            values["hidden"] = tuple(int(width) for width in values["hidden"])
        for name in ("latent_dim", "grid", "attention"):
            if name in values and (isinstance(values[name], bool) or not isinstance(values[name], int)):
                raise ValueError(f"config field {name!r} must be an integer, got {values[name]!r}")
        return cls(**values)


def conv_stride(config: GeneratorConfig) -> int:
    """How much the conv generator upsamples its first map: 2 per width after the first."""
    return 2 ** max(len(config.hidden) - 1, 0)


def attention_sides(config: GeneratorConfig) -> tuple[int, ...]:
    """The sides of the conv generator's maps between its first and its last (where attention may go)."""
    base = config.grid // conv_stride(config)
    return tuple(base * 2**index for index in range(1, len(config.hidden) - 1))


def parameter_shapes(config: GeneratorConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter the generator of `config` has, in torch's layout."""
    if config.arch == "conv":
        return _conv_parameter_shapes(config)
    widths = [config.latent_dim, *config.hidden, config.grid * config.grid]
    shapes: dict[str, tuple[int, ...]] = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
        index = 2 * layer  # each Linear is followed by an activation in the Sequential
        shapes[f"net.{index}.weight"] = (fan_out, fan_in)
        shapes[f"net.{index}.bias"] = (fan_out,)
    return shapes


def _conv_parameter_shapes(config: GeneratorConfig) -> dict[str, tuple[int, ...]]:
    """The conv generator's parameters once batch norm is folded in: every layer has a bias."""
    base = config.grid // conv_stride(config)
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
    shapes["to_image.weight"] = (1, config.hidden[-1], 3, 3)
    shapes["to_image.bias"] = (1,)
    return shapes


def attention_index(config: GeneratorConfig) -> int:
    """Index into `config.hidden` of the map that the attention layer follows."""
    return attention_sides(config).index(config.attention) + 1
