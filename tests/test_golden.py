"""Golden images: the shipped generators' responses, byte for byte, under one render version.

A failure here means served bytes changed. If the change is meant, bump RENDER_VERSION in
`model/render.py` (every ETag changes with it, so no cache keeps the old bytes) and run
`python -m tests.golden.regenerate`; after new shipped weights, only run the command.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pixelgan.model.render import RENDER_VERSION

from tests.golden import (
    GOLDEN_ROOT,
    REGENERATE,
    SHIPPED_MODELS,
    Case,
    cases_of,
    read_manifest,
    render,
    shipped_client,
    shipped_model_ids,
)

MODEL_CASE_PAIRS = [(model, case) for model in SHIPPED_MODELS for case in cases_of(model)]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with shipped_client() as client:
        yield client


@pytest.fixture(scope="module")
def manifests(client: TestClient) -> dict[str, dict]:
    """{model name: its golden manifest}; fails naming the command if a shipped model has none."""
    found = {name: read_manifest(GOLDEN_ROOT / model_id) for name, model_id in shipped_model_ids(client).items()}
    missing = [name for name, manifest in found.items() if manifest is None]
    if missing:
        pytest.fail(f"no golden images for the shipped models {', '.join(missing)}: run `{REGENERATE}`")
    return found


@pytest.mark.parametrize("model", SHIPPED_MODELS)
def test_golden_images_are_of_this_render_version_and_cover_every_case(manifests: dict, model: str) -> None:
    manifest = manifests[model]
    assert manifest["render_version"] == RENDER_VERSION, (
        f"RENDER_VERSION is {RENDER_VERSION} but {model}'s golden images were made under "
        f"{manifest['render_version']}: run `{REGENERATE}`"
    )
    assert manifest["files"] == sorted(case.name for case in cases_of(model)), f"the cases changed: run `{REGENERATE}`"


@pytest.mark.parametrize(("model", "case"), MODEL_CASE_PAIRS, ids=lambda item: getattr(item, "name", item))
def test_golden_bytes_are_unchanged(client: TestClient, manifests: dict, model: str, case: Case) -> None:
    path = GOLDEN_ROOT / manifests[model]["model_id"] / case.name
    assert path.exists(), f"{model}: {case.name} has no golden file: run `{REGENERATE}`"
    assert render(client, case) == path.read_bytes(), (
        f"{model}: {case.name} ({case.path} {case.params}) changed under render version "
        f"{manifests[model]['render_version']}: if that is meant, bump RENDER_VERSION in model/render.py "
        f"and run `{REGENERATE}`"
    )
