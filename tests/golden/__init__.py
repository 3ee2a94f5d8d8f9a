"""Golden images: requests to the shipped generators whose response bytes are kept in the repo.

    python -m tests.golden.regenerate      # after a render change (with RENDER_VERSION bumped) or new weights

Seeded responses are immutable under an ETag of the model id, the render version and the
parameters, so their bytes may change only when one of those does. `tests/test_golden.py`
replays the cases below through the app serving every shipped generator and compares
bytes: all of `CASES` for the default model, the face routes (`MODEL_CASES`, asked with
`model=`) for each other one. Each model's files sit in `tests/golden/<model id>/` with a
`manifest.json` naming the model and the render version they were made under. New shipped
weights have a new model id, so their images are a new folder, made by the command above.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model import render as render_module
from pixelgan.model.shipped import DEFAULT_MODEL, model_name, shipped_generator_paths

from tests.conftest import photo_bytes
from tests.helpers import blas_threads_set_to

GOLDEN_ROOT = Path(__file__).resolve().parent
MANIFEST = "manifest.json"
REGENERATE = "python -m tests.golden.regenerate"


@dataclass(frozen=True)
class Case:
    """One request: its file name in the golden folder, the path and the query parameters."""

    name: str
    path: str
    params: dict = field(default_factory=dict)


CASES = [
    *(
        Case(f"generate-seed{seed}-scale{scale}.png", "/generate", {"seed": seed, "scale": scale})
        for seed in (0, 1, 42)
        for scale in (1, 8)
    ),
    Case("generate-seed42-levels2.png", "/generate", {"seed": 42, "levels": 2}),
    Case("generate-seed42-levels4-bayer4.png", "/generate", {"seed": 42, "levels": 4, "dither": "bayer4"}),
    Case("generate-seed42-levels8-floyd.png", "/generate", {"seed": 42, "levels": 8, "dither": "floyd"}),
    Case(
        "generate-seed42-palette-gameboy-floyd.png", "/generate", {"seed": 42, "palette": "gameboy", "dither": "floyd"}
    ),
    Case("grid-seed0.png", "/grid", {"seed": 0}),
    Case("grid-seed0-levels4-bayer8.png", "/grid", {"seed": 0, "levels": 4, "dither": "bayer8"}),
    Case("pixelate.png", "/pixelate"),
    Case("pixelate-color.png", "/pixelate", {"color": "true"}),
    Case("pixelate-levels4-floyd.png", "/pixelate", {"levels": 4, "dither": "floyd"}),
    *(
        Case(f"morph-0-1.{fmt}", "/morph", {"from": 0, "to": 1, "frames": 4, "scale": 2, "format": fmt})
        for fmt in ("gif", "webp", "png")
    ),
]

# The routes that draw a model's faces; /pixelate uses no model, so the default's cases cover it.
MODEL_CASES = [case for case in CASES if case.path != "/pixelate"]
SHIPPED_MODELS = [model_name(path) for path in shipped_generator_paths()]  # the default first


def cases_of(model: str) -> list[Case]:
    """The golden cases of a shipped model: every case for the default, the face routes with
    `model=` for the others."""
    if model == DEFAULT_MODEL:
        return CASES
    return [Case(case.name, case.path, {**case.params, "model": model}) for case in MODEL_CASES]


def upload_photo() -> bytes:
    """The upload for the /pixelate cases: a generated 300x240 PNG (lossless, so decoders agree)."""
    return photo_bytes((300, 240))


@contextmanager
def shipped_client() -> Iterator[TestClient]:
    """A client of the app serving every shipped generator (the default settings)."""
    every_shipped = ",".join(str(path) for path in shipped_generator_paths())  # whatever the environment says
    # Served bytes depend on BLAS's thread count (the order of a sum), and the app pins it to
    # render.BLAS_THREADS in its lifespan; but in a test session another thread may own
    # OpenBLAS's setting (threadpoolctl lets one live thread set it), and the pin is then
    # ignored. Set it the way `pixelgan serve` ends up with, from a passing thread.
    app = create_app(Settings(weights=every_shipped))
    with blas_threads_set_to(render_module.BLAS_THREADS), TestClient(app) as client:
        yield client


def shipped_model_ids(client: TestClient) -> dict[str, str]:
    """{model name: model id} of every model the client's app serves."""
    return {model["name"]: model["model_id"] for model in client.get("/models").json()["models"]}


def render(client: TestClient, case: Case) -> bytes:
    """The response bytes of `case`; raises if the request did not succeed."""
    if case.path == "/pixelate":
        response = client.post(case.path, params=case.params, files={"file": ("photo.png", upload_photo())})
    else:
        response = client.get(case.path, params=case.params)
    if response.status_code != 200:
        raise RuntimeError(f"{case.name}: {case.path} answered {response.status_code}: {response.text}")
    return response.content


def read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.exists() else None
