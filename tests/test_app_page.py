"""GET / and /static/: the page and its assets are served, from this origin only."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.routes.page import STATIC_DIR
from pixelgan.app.settings import Settings


def test_page_is_served_with_a_same_origin_policy(generator_path: Path) -> None:
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>pixelgan" in response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response.headers["cache-control"] == "no-cache"


def test_page_assets_are_served_and_reference_nothing_outside(generator_path: Path) -> None:
    names = sorted(path.name for path in STATIC_DIR.iterdir())
    assert {"index.html", "page.css", "page.js"} <= set(names)
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        for name in names:
            response = client.get(f"/static/{name}")
            assert response.status_code == 200, name
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", response.text), name
        assert (
            client.get("/static/page.js")
            .headers["content-type"]
            .startswith(("text/javascript", "application/javascript"))
        )


def test_missing_asset_is_a_json_404(generator_path: Path) -> None:
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        response = client.get("/static/nothing-here.js")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_page_is_not_in_the_api_schema(generator_path: Path) -> None:
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths and "/generate" in paths
