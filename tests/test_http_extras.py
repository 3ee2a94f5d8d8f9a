"""HEAD and OPTIONS on GET routes, and the security headers on every response (app.http_extras)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings


@pytest.fixture
def client(generator_path: Path):
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        yield client


@pytest.mark.parametrize("path", ["/?seed=1", "/generate?seed=3", "/healthz", "/static/page.css"])
def test_head_sends_gets_headers_without_the_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["content-type"] == got.headers["content-type"]


def test_options_answers_204_with_the_routes_methods(client: TestClient) -> None:
    response = client.options("/pixelate")
    assert response.status_code == 204
    assert "POST" in response.headers["allow"] and "OPTIONS" in response.headers["allow"]
    assert set(client.options("/generate").headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_options_on_an_unknown_path_is_404_json(client: TestClient) -> None:
    response = client.options("/nothing-here")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("path", ["/", "/static/page.css", "/generate?seed=1", "/generate?seed=x", "/nope"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    if response.headers["content-type"].startswith("text/html"):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
