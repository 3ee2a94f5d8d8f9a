"""Golden images: the shipped generator's responses, byte for byte, under one render version.

A failure here means served bytes changed. If the change is meant, bump RENDER_VERSION in
`model/render.py` (every ETag changes with it, so no cache keeps the old bytes) and run
`python -m tests.golden.regenerate`; after new shipped weights, only run the command.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pixelgan.model.render import RENDER_VERSION

from tests.golden import CASES, GOLDEN_ROOT, REGENERATE, Case, read_manifest, render, shipped_client, shipped_model_id


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with shipped_client() as client:
        yield client


@pytest.fixture(scope="module")
def manifest(client: TestClient) -> dict:
    model_id = shipped_model_id(client)
    found = read_manifest(GOLDEN_ROOT / model_id)
    if found is None:
        pytest.fail(f"no golden images for the shipped model {model_id}: run `{REGENERATE}`")
    return found


def test_golden_images_are_of_this_render_version(manifest: dict) -> None:
    assert manifest["render_version"] == RENDER_VERSION, (
        f"RENDER_VERSION is {RENDER_VERSION} but the golden images were made under {manifest['render_version']}: "
        f"run `{REGENERATE}`"
    )


def test_golden_images_cover_every_case(manifest: dict) -> None:
    assert manifest["files"] == sorted(case.name for case in CASES), f"the cases changed: run `{REGENERATE}`"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_golden_bytes_are_unchanged(client: TestClient, manifest: dict, case: Case) -> None:
    path = GOLDEN_ROOT / manifest["model_id"] / case.name
    assert path.exists(), f"{case.name} has no golden file: run `{REGENERATE}`"
    assert render(client, case) == path.read_bytes(), (
        f"{case.name} ({case.path} {case.params}) changed under render version {manifest['render_version']}: "
        f"if that is meant, bump RENDER_VERSION in model/render.py and run `{REGENERATE}`"
    )
