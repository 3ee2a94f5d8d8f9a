"""Where the shipped generator lives, and how a weights path is chosen.

    path = resolve_weights(None)    # --weights, else $PIXELGAN_WEIGHTS, else the shipped file

The shipped file is package data of `pixelgan.weights` (the repo's `weights/` folder), so
an installed service finds it without a checkout.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SHIPPED_GENERATOR = "celebrity-conv/generator.safetensors"


def shipped_generator_path() -> Path:
    """The generator file that ships with the package."""
    return Path(str(resources.files("pixelgan.weights").joinpath(SHIPPED_GENERATOR)))


def resolve_weights(explicit: str | Path | None) -> Path:
    """`explicit` if given, else $PIXELGAN_WEIGHTS if set, else the shipped generator."""
    if explicit:
        return Path(explicit)
    if os.environ.get("PIXELGAN_WEIGHTS"):
        return Path(os.environ["PIXELGAN_WEIGHTS"])
    return shipped_generator_path()
