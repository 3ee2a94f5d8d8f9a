"""Named training recipes: the settings that made each shipped generator, one name each.

    recipe = RECIPES["face"]
    config = GeneratorConfig(**recipe.config)        # what `pixelgan train` builds by default
    options = TrainOptions(**recipe.options)

`pixelgan train --data DIR --out RUN` trains `DEFAULT_RECIPE`; `--recipe NAME` picks
another, and any flag typed beside it overrides that one setting. Each recipe names only
what differs from the `GeneratorConfig` and `TrainOptions` defaults, and its epochs are
those of the run that made its shipped file (`weights/`); the generator file records the
recipe's name and every resulting option.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pixelgan.training.options import OPERATIONS


@dataclass(frozen=True)
class Recipe:
    """summary: one line for `--help`. config / options: `GeneratorConfig` / `TrainOptions` fields."""

    summary: str
    config: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)


# DiffAugment without its flip, which leaks (the README's "what was tried").
_AUGMENT = tuple(name for name in OPERATIONS if name != "flip")

_FACE_V1 = Recipe(
    summary="the previous face generator (879554d796fb093b): face squares, 256/128/64/32 conv G, "
    "spectral-norm D 64/128/256 with minibatch std, R1 0.01, DiffAugment, EMA",
    config={"arch": "conv", "hidden": (256, 128, 64, 32)},
    options={
        "epochs": 425,
        "crop": "face",
        "flip": True,
        "augment": _AUGMENT,
        "ema": 0.999,
        "d_channels": (64, 128, 256),
        "minibatch_std": True,
        "r1": 0.01,
    },
)

# The previous face generator's recipe: face-v1 plus the four changes that each helped alone
# in the README's ablation (scripts/ablation.py): ADA, no spectral norm in D, LeCam, attention.
_FACE_V2 = Recipe(
    summary="the previous face generator (377b68eadb6f9351): face-v1 plus self-attention at 20x20 in G, "
    "no spectral norm in D (R1 alone), LeCam 0.1 and ADA's adaptive augmentation probability (target 0.6)",
    config=_FACE_V1.config | {"attention": 20},
    options=_FACE_V1.options
    | {"epochs": 300, "d_norm": "none", "lecam": 0.1, "ada_target": 0.6, "checkpoint_every": 10, "sample_every": 10},
)

# The shipped face generator's recipe: face-v2 with DiffAugment's shifts cut from up to 5 cells
# to 1, which kept the features whole in the README's whole-run arms (scripts/long_ablation.py).
_FACE = Recipe(
    summary="the shipped face generator: face-v2 with DiffAugment's shifts of 1 cell, not up to 5",
    config=_FACE_V2.config,
    options=_FACE_V2.options | {"translation_ratio": 0.025},
)

RECIPES: dict[str, Recipe] = {
    "face": _FACE,
    "face-v2": _FACE_V2,
    "face-v1": _FACE_V1,
    "conv": Recipe(
        summary="the first conv generator (4b8ca22b5915195f): AbsCenterCrop, 128/64/32/16 conv G, DiffAugment, EMA",
        config={"arch": "conv", "hidden": (128, 64, 32, 16)},
        options={"epochs": 300, "augment": _AUGMENT, "ema": 0.999},
    ),
    "post": Recipe(
        summary="the post's MLP (70899a5191d1d996): latent -> 128 -> 512 -> 1600, AbsCenterCrop, BCE",
        config={"arch": "mlp", "hidden": (128, 512)},
        options={"epochs": 300},
    ),
}
DEFAULT_RECIPE = "face"
