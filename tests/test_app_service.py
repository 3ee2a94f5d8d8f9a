"""Health, readiness, /model, startup failures, unknown routes, and the BLAS pin the service holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model.errors import GeneratorFileError
from pixelgan.model.generator_file import load_generator_file

from tests.helpers import blas_threads, blas_threads_set_to


def test_health_ready_and_model(post_generator_path: Path) -> None:
    with TestClient(create_app(Settings(weights=post_generator_path))) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").status_code == 200
        info = client.get("/model").json()
    loaded = load_generator_file(post_generator_path)
    assert info["model_id"] == loaded.model_id
    assert info["latent_dim"] == 100 and info["grid"] == 40
    assert info["architecture"]["arch"] == "mlp"
    assert info["training"] == {"dataset": "test", "epochs": 0}


def test_not_ready_before_startup(post_generator_path: Path) -> None:
    client = TestClient(create_app(Settings(weights=post_generator_path)))  # no `with`: no lifespan
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    response = client.get("/generate?seed=1")
    assert response.status_code == 503
    assert response.json()["code"] == "not_ready"


@pytest.mark.parametrize("content", [None, b"", b"garbage" * 10])
def test_startup_fails_on_a_bad_file(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "bad.safetensors"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GeneratorFileError, match=re.escape(str(path))), TestClient(create_app(Settings(weights=path))):
        pass


def test_unknown_route_and_method_are_json(post_generator_path: Path) -> None:
    with TestClient(create_app(Settings(weights=post_generator_path))) as client:
        missing = client.get("/nope")
        wrong = client.post("/generate")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"


@pytest.mark.usefixtures("own_blas_pin")
def test_service_holds_blas_at_one_thread_while_it_runs(post_generator_path: Path) -> None:
    with blas_threads_set_to(2):
        with TestClient(create_app(Settings(weights=post_generator_path))) as client:
            assert blas_threads() == 1
            assert client.get("/grid", params={"seed": 0, "n": 4}).status_code == 200
            assert blas_threads() == 1  # a request's own pin ends inside the service's
        assert blas_threads() == 2  # shutdown gives the setting back
