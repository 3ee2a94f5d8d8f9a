"""Fuzzing POST /pixelate: thousands of mutated files of every accepted format, and not one 5xx
or a body that is not the JSON error shape. More cases: benchmarks/upload_fuzz.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings

from tests.upload_mutations import mutated_uploads, seed_files

# Pillow warns about each odd tag it skips in a mutated TIFF; the answers are what count.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
CASES = 3000
# Small limits keep each case cheap: a mutated header that declares a large image is refused
# (413) rather than decoded, and the refusal is what is under test.
LIMITS = {"max_pixels": 4_000_000, "max_decode_bytes": 16 * 2**20}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from tests.conftest import write_generator

    weights = write_generator(tmp_path_factory.mktemp("fuzz") / "generator.safetensors")
    with TestClient(create_app(Settings(weights=weights, **LIMITS)), raise_server_exceptions=False) as client:
        yield client


def test_every_seed_file_is_accepted(client: TestClient) -> None:
    for name, data in seed_files():
        response = client.post("/pixelate?boxes=16&scale=1", files={"file": ("upload", data)})
        assert response.status_code == 200, (name, response.text)


def test_mutated_uploads_get_a_json_4xx_or_a_png(client: TestClient) -> None:
    failures = []
    for name, data in mutated_uploads(CASES, seed=0):
        response = client.post("/pixelate?boxes=16&scale=1", files={"file": ("upload", data)})
        if response.status_code == 200:
            if not response.content.startswith(b"\x89PNG"):
                failures.append(f"{name}: 200 without a PNG")
            continue
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 500 or not isinstance(body, dict) or set(body) != {"code", "detail"}:
            failures.append(f"{name}: {response.status_code} {response.text[:200]!r}")
    assert failures == []
