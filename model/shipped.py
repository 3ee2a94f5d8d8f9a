"""Where the shipped generator lives, and how a weights path is chosen.

    path = resolve_weights(None)    # --weights, else $PIXELGAN_WEIGHTS, else the shipped file
    path = resolve_weights("runs/mine")   # a run folder: its generator.safetensors

The shipped file is package data of `pixelgan.weights` (the repo's `weights/` folder), so
an installed service finds it without a checkout.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from pixelgan.model.errors import GeneratorFileError

SHIPPED_GENERATOR = "celebrity-face/generator.safetensors"
GENERATOR_FILE_NAME = "generator.safetensors"  # what pixelgan train writes into its run folder


def shipped_generator_path() -> Path:
    """The generator file that ships with the package."""
    return Path(str(resources.files("pixelgan.weights").joinpath(SHIPPED_GENERATOR)))


def resolve_weights(explicit: str | Path | None) -> Path:
    """`explicit` if given, else $PIXELGAN_WEIGHTS if set, else the shipped generator.

    A folder stands for the generator file inside it (a run folder of `pixelgan train`);
    a folder without one raises GeneratorFileError saying what was looked for.
    """
    if explicit:
        path = Path(explicit)
    elif os.environ.get("PIXELGAN_WEIGHTS"):
        path = Path(os.environ["PIXELGAN_WEIGHTS"])
    else:
        return shipped_generator_path()
    if not path.is_dir():
        return path
    if not (path / GENERATOR_FILE_NAME).is_file():
        raise GeneratorFileError(
            f"{path} is a folder without a {GENERATOR_FILE_NAME} in it; give a generator file "
            "or the run folder of pixelgan train"
        )
    return path / GENERATOR_FILE_NAME
