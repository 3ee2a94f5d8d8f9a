"""What a weights setting serves, described the same way by `GET /models` and `pixelgan models`.

describe_model("celebrity-face", load_generator_file(path))   # model_id, name, architecture, grid, color, training
path = choose_model(resolve_weights_list(None), "celebrity-mlp")   # by name or model id
"""

from __future__ import annotations

from pathlib import Path

from pixelgan.model.errors import UserError
from pixelgan.model.generator_file import GeneratorFile, load_generator_file
from pixelgan.model.shipped import model_name


class UnknownModelError(UserError):
    """A model name or id that the weights setting does not serve."""


def describe_model(name: str, generator_file: GeneratorFile) -> dict:
    """A model's id, name, architecture config, grid, whether it draws in colour, and its training summary."""
    return {
        "model_id": generator_file.model_id,
        "name": name,
        "architecture": generator_file.metadata["config"],
        "grid": generator_file.config.grid,
        "color": generator_file.config.channels == 3,
        "training": generator_file.metadata["training"],
    }


def unknown_model(names: list[str], key: str) -> UnknownModelError:
    return UnknownModelError(f"model must be one of {', '.join(names)} (a name or a model id), got {key!r}")


def choose_model(paths: list[Path], key: str | None) -> Path:
    """The file of the model named `key` (its run folder's name, or its model id); the first for None."""
    if key is None:
        return paths[0]
    for path in paths:
        if key == model_name(path) or key == load_generator_file(path).model_id:
            return path
    raise unknown_model([model_name(path) for path in paths], key)
