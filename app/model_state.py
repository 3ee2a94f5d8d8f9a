"""The loaded generators, held on `app.state.models` from startup to shutdown.

    models = load_models(paths)            # load, verify, warm up each; raises GeneratorFileError
    state = models.find("celebrity-mlp")   # by name or model id; UnknownModelError (422) naming the valid names
    generator = get_model(request, model)  # dependency: the `model=` query parameter's model, 503 until loaded

The first model is the default: what a request without `model=` and `/model` get. Nothing
in the state changes after startup, so request threads share it; the conv forwards take
their calls in turn on the one set of pass buffers they share (`model.numpy_conv`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Query, Request
from pixelgan.app.errors import ApiError
from pixelgan.app.settings import Settings
from pixelgan.model.catalog import describe_model, unknown_model
from pixelgan.model.errors import GeneratorFileError
from pixelgan.model.generator_file import GeneratorFile, load_generator_file
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.render import render_faces
from pixelgan.model.shipped import model_name


@dataclass(frozen=True)
class ModelState:
    name: str
    generator: NumpyGenerator
    file: GeneratorFile  # its metadata and model id; the arrays live in the generator's forward

    def describe(self) -> dict:
        """What `/models` and `pixelgan models` say about this model."""
        return describe_model(self.name, self.file)


@dataclass(frozen=True)
class Models:
    """The served models in order, the default first."""

    all: tuple[ModelState, ...]

    @property
    def default(self) -> ModelState:
        return self.all[0]

    def names(self) -> list[str]:
        return [state.name for state in self.all]

    def find(self, key: str | None) -> ModelState:
        """The model named `key` or with model id `key`; the default for None."""
        if key is None:
            return self.default
        for state in self.all:
            if key in (state.name, state.file.model_id):
                return state
        raise unknown_model(self.names(), key)


def load_model_state(path: Path) -> ModelState:
    """Load and verify one generator file, then render one face so its first request is warm."""
    generator_file = load_generator_file(path)
    generator = NumpyGenerator.from_file(generator_file)
    render_faces(generator, 0)
    # The forward holds its own (transposed) copies of the weights: keep the file's metadata
    # only, so each model costs its weights once, not twice.
    return ModelState(name=model_name(path), generator=generator, file=replace(generator_file, arrays={}))


def load_models(paths: list[Path]) -> Models:
    """Every model of `paths`, in order; two with the same name raise GeneratorFileError."""
    states = tuple(load_model_state(path) for path in paths)
    seen: dict[str, Path] = {}
    for state, path in zip(states, paths, strict=True):
        if state.name in seen:
            raise GeneratorFileError(
                f"{path} and {seen[state.name]} are both named {state.name!r}; serve run folders with different names"
            )
        seen[state.name] = path
    return Models(states)


async def get_models(request: Request) -> Models:
    # async: FastAPI runs a plain-def dependency in the threadpool, a thread hop per request
    # that costs more than this attribute read.
    models = getattr(request.app.state, "models", None)
    if models is None:
        raise ApiError(503, "not_ready", "the model is still loading; try again in a moment")
    return models


ModelKey = Annotated[
    str | None,
    Query(alias="model", max_length=100, description="Model to draw with: a name or model id from /models."),
]


async def get_model(models: Annotated[Models, Depends(get_models)], key: ModelKey = None) -> ModelState:
    return models.find(key)


async def get_default_model(models: Annotated[Models, Depends(get_models)]) -> ModelState:
    return models.default


Model = Annotated[ModelState, Depends(get_model)]
DefaultModel = Annotated[ModelState, Depends(get_default_model)]
ServedModels = Annotated[Models, Depends(get_models)]


def get_app_settings(request: Request) -> Settings:
    """The settings the app was made with (`create_app`), kept on `app.state`."""
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(get_app_settings)]
