"""Where the shipped generators live, and how a weights setting becomes the files to serve.

    path = resolve_weights(None)              # unset: the shipped default
    paths = resolve_weights_list("runs/a,runs/b/generator.safetensors")   # several, in order
    paths = resolve_weights_list(None)        # every shipped generator, the default first
    model_name(path)                          # 'celebrity-face': the run folder's name

A weights setting names one or more generator files or run folders of `pixelgan train`,
separated by commas or by `os.pathsep` (':' on Linux and macOS, ';' on Windows); the first
is the default model. Left unset, it is every generator shipped with the package, the
default (`celebrity-face`) first and the rest by name. The shipped files are package data
of `pixelgan.weights` (the repo's `weights/` folder), so an installed service finds them
without a checkout. The setting comes from the caller (`--weights`, or `PIXELGAN_WEIGHTS`
as `app.settings` reads it); nothing here reads the environment.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

from pixelgan.model.errors import GeneratorFileError

DEFAULT_MODEL = "celebrity-face"
GENERATOR_FILE_NAME = "generator.safetensors"  # what pixelgan train writes into its run folder
SHIPPED_GENERATOR = f"{DEFAULT_MODEL}/{GENERATOR_FILE_NAME}"
_SEPARATORS = re.compile("[," + re.escape(os.pathsep) + "]")


def shipped_generator_path() -> Path:
    """The default generator file that ships with the package."""
    return _shipped_root() / SHIPPED_GENERATOR


def shipped_generator_paths() -> list[Path]:
    """Every shipped generator file, the default first, then by folder name."""
    root = _shipped_root()
    names = sorted(folder.name for folder in root.iterdir() if (folder / GENERATOR_FILE_NAME).is_file())
    names.sort(key=lambda name: name != DEFAULT_MODEL)  # stable: the default first, the rest stay sorted
    return [root / name / GENERATOR_FILE_NAME for name in names]


def resolve_weights(setting: str | Path | None) -> Path:
    """The default model's file of a weights setting; unset: the shipped default."""
    if not setting:
        return shipped_generator_path()
    return resolve_weights_list(setting)[0]


def resolve_weights_list(setting: str | Path | None) -> list[Path]:
    """Every generator file a weights setting names, in its order; unset: every shipped one.

    A folder stands for the generator file inside it (a run folder of `pixelgan train`); a
    folder without one raises GeneratorFileError saying what was looked for.
    """
    parts = [part.strip() for part in _SEPARATORS.split(str(setting or "")) if part.strip()]
    if not parts:
        return shipped_generator_paths()
    return [_generator_file(Path(part)) for part in parts]


def model_name(path: Path) -> str:
    """A model's name: its run folder's name (`celebrity-face`), or a lone file's stem."""
    return path.parent.name if path.name == GENERATOR_FILE_NAME and path.parent.name else path.stem


def _generator_file(path: Path) -> Path:
    if not path.is_dir():
        return path
    if not (path / GENERATOR_FILE_NAME).is_file():
        raise GeneratorFileError(
            f"{path} is a folder without a {GENERATOR_FILE_NAME} in it; give a generator file "
            "or the run folder of pixelgan train"
        )
    return path / GENERATOR_FILE_NAME


def _shipped_root() -> Path:
    return Path(str(resources.files("pixelgan.weights")))
