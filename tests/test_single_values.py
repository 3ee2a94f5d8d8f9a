"""A query parameter given twice on a rendering route is a 422 that names it, before any wait."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings

from tests.conftest import photo_bytes
from tests.test_admission import blocking_renders


@pytest.mark.parametrize(
    ("method", "url", "name", "count"),
    [
        ("GET", "/generate?seed=1&seed=2", "seed", 2),
        ("GET", "/grid?n=4&seed=1&n=4", "n", 2),  # even the same value twice
        ("GET", "/morph?from=1&to=2&from=3&from=4", "from", 3),
        ("POST", "/pixelate?boxes=4&boxes=8", "boxes", 2),
    ],
)
def test_a_parameter_given_twice_is_a_422_that_names_it(
    post_client: TestClient, method: str, url: str, name: str, count: int
) -> None:
    upload = {"files": {"file": ("photo.png", photo_bytes(), "image/png")}} if method == "POST" else {}
    response = post_client.request(method, url, **upload)
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_parameter",
        "detail": f"{name} (query) is given {count} times; give each parameter at most once",
    }


def test_parameters_given_once_are_served(post_client: TestClient) -> None:
    assert post_client.get("/morph?from=1&to=2&frames=2&scale=1").status_code == 200


def test_the_422_does_not_wait_for_a_render_slot(generator_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(weights=generator_path, render_slots=1, render_queue=1)
    answers: list[httpx.Response] = []
    with TestClient(create_app(settings)) as client, blocking_renders(monkeypatch) as (started, release, _):
        holder = threading.Thread(target=client.get, args=("/generate?seed=1",))
        holder.start()
        assert started.wait(timeout=60)  # the one slot is taken until `release`
        asking = threading.Thread(target=lambda: answers.append(client.get("/generate?seed=1&seed=2")))
        asking.start()
        asking.join(timeout=10)
        release.set()
        holder.join(timeout=60)
    assert [answer.status_code for answer in answers] == [422]
