"""The generator's architecture: a frozen dataclass, and the parameter shapes it implies.

    config = GeneratorConfig(arch="mlp", latent_dim=100, grid=40)
    parameter_shapes(config)   # {"net.0.weight": (128, 100), ...}

The same dict (`config.to_dict()`) is written into the generator file, so a reader rebuilds
the network, in torch or numpy, from the file alone. Parameter names follow the torch
modules in `model.networks`, so a state dict exports as it is.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, fields

ARCHITECTURES = ("mlp",)


@dataclass(frozen=True)
class GeneratorConfig:
    """Hyper-parameters of a generator that maps a latent vector to a `grid x grid` image.

    arch: "mlp", the post's Linear -> LeakyReLU(0.2) stack ending in Tanh.
    latent_dim: length of the latent vector drawn from N(0, 1).
    grid: side of the output image in pixels (the pixelation grid, the post's `boxes`).
    hidden: widths of the hidden layers of the MLP (the post: 128, 512).
    """

    arch: str = "mlp"
    latent_dim: int = 100
    grid: int = 40
    hidden: tuple[int, ...] = (128, 512)

    def __post_init__(self) -> None:
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"arch must be one of {ARCHITECTURES}, got {self.arch!r}")
        if self.latent_dim < 1 or self.grid < 1 or any(width < 1 for width in self.hidden):
            raise ValueError(f"latent_dim, grid and hidden widths must be positive: {self}")

    def to_dict(self) -> dict:
        """The JSON-ready form stored in generator files."""
        return asdict(self) | {"hidden": list(self.hidden)}

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
        for name in ("latent_dim", "grid"):
            if name in values and (isinstance(values[name], bool) or not isinstance(values[name], int)):
                raise ValueError(f"config field {name!r} must be an integer, got {values[name]!r}")
        return cls(**values)


def parameter_shapes(config: GeneratorConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter the generator of `config` has, in torch's layout."""
    widths = [config.latent_dim, *config.hidden, config.grid * config.grid]
    shapes: dict[str, tuple[int, ...]] = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
        index = 2 * layer  # each Linear is followed by an activation in the Sequential
        shapes[f"net.{index}.weight"] = (fan_out, fan_in)
        shapes[f"net.{index}.bias"] = (fan_out,)
    return shapes
