"""The generator's architecture config: a frozen dataclass, the same dict in every generator file.

    config = GeneratorConfig(arch="mlp", latent_dim=100, grid=40)
    GeneratorConfig(arch="conv")          # hidden: the conv record's defaults, (256, 128, 64, 32)
    GeneratorConfig.from_dict(config.to_dict()) == config

The same dict (`config.to_dict()`) is written into the generator file, so a reader rebuilds
the network, in torch or numpy, from the file alone. What each `arch` means (its default
widths, its checks, its parameters, its forward) is its record in `model.architectures`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from pixelgan.model.errors import ConfigError

# The slope of every LeakyReLU, in the torch nets and the numpy forwards alike (the post's 0.2).
LEAKY_SLOPE = 0.2
# Fields that only some architectures use, left out of `to_dict()` at these defaults so that
# files written before the field existed keep their content hash (the model id).
OMITTED_AT_DEFAULT = {"attention": 0, "channels": 1}
IMAGE_CHANNELS = (1, 3)  # grey, or RGB


@dataclass(frozen=True)
class GeneratorConfig:
    """Hyper-parameters of a generator that maps a latent vector to a `grid x grid` image.

    arch: the name of its record in `model.architectures` ("mlp": the post's; "conv").
    latent_dim: length of the latent vector drawn from N(0, 1).
    grid: side of the output image in pixels (the pixelation grid, the post's `boxes`).
    hidden: the MLP's hidden layer widths, or the conv generator's channels at each
        resolution, coarsest first; left out, the architecture's default widths.
    attention: the side of the conv generator's map that a self-attention layer follows
        (SAGAN; 20 for a 5 -> 10 -> 20 -> 40 generator), or 0 for none.
    channels: colour channels of the image: 1 (grey) or 3 (RGB, trained on colour grids).

    `grid` is what the post, the API and the CLI call `boxes`: the user types `boxes`, the
    model stores `grid`, and the two meet in `pixelate(image, boxes)` and `--boxes`.
    """

    arch: str = "mlp"
    latent_dim: int = 100
    grid: int = 40
    hidden: tuple[int, ...] | None = None
    attention: int = 0
    channels: int = 1

    def __post_init__(self) -> None:
        # Imported here: the registry imports the numpy forwards, which import this module.
        from pixelgan.model.architectures import architecture

        record = architecture(self.arch)
        if self.hidden is None:  # frozen: set once, here, as dataclasses' own __init__ would
            object.__setattr__(self, "hidden", record.default_hidden)
        if self.latent_dim < 1 or self.grid < 1 or any(width < 1 for width in self.hidden):
            raise ConfigError(f"latent_dim, grid and hidden widths must be positive: {self}")
        if self.channels not in IMAGE_CHANNELS:
            raise ConfigError(f"channels must be 1 (grey) or 3 (RGB), got {self.channels}")
        record.check(self)

    def to_dict(self) -> dict:
        """The JSON-ready form stored in generator files."""
        data = asdict(self) | {"hidden": list(self.hidden)}
        return {
            name: value
            for name, value in data.items()
            if not (name in OMITTED_AT_DEFAULT and value == OMITTED_AT_DEFAULT[name])
        }

    @classmethod
    def from_dict(cls, data: dict) -> GeneratorConfig:
        """Rebuild a config from `to_dict()` output; unknown or ill-typed fields raise ConfigError."""
        known = {field.name for field in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown config fields {sorted(unknown)}")
        values = dict(data)
        if "hidden" in values:
            values["hidden"] = tuple(int(width) for width in values["hidden"])
        for name in ("latent_dim", "grid", "attention", "channels"):
            if name in values and (isinstance(values[name], bool) or not isinstance(values[name], int)):
                raise ConfigError(f"config field {name!r} must be an integer, got {values[name]!r}")
        return cls(**values)
