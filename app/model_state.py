"""The loaded generator, held on `app.state` from startup to shutdown.

    state = load_model_state(path)     # load, verify, warm up; raises GeneratorFileError
    generator = get_model(request)     # dependency: 503 until the lifespan has loaded it

Nothing in the state changes after startup, so request threads share it; the conv forward
takes its calls in turn on its one set of buffers (`model.numpy_conv`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from pixelgan.app.errors import ApiError
from pixelgan.app.settings import Settings, get_settings
from pixelgan.model.generator_file import GeneratorFile, load_generator_file
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.render import render_faces


@dataclass(frozen=True)
class ModelState:
    generator: NumpyGenerator
    file: GeneratorFile


def load_model_state(path: Path) -> ModelState:
    """Load and verify the generator file, then render one face so the first request is warm."""
    generator_file = load_generator_file(path)
    generator = NumpyGenerator.from_file(generator_file)
    render_faces(generator, 0)
    return ModelState(generator=generator, file=generator_file)


async def get_model(request: Request) -> ModelState:
    # async: FastAPI runs a plain-def dependency in the threadpool, a thread hop per request
    # that costs more than this attribute read.
    state = getattr(request.app.state, "model", None)
    if state is None:
        raise ApiError(503, "not_ready", "the model is still loading; try again in a moment")
    return state


Model = Annotated[ModelState, Depends(get_model)]
AppSettings = Annotated[Settings, Depends(get_settings)]
