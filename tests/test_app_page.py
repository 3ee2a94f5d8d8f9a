"""GET / and /static/: the page and its assets are served, from this origin only, and the page
names each view's image in its link-preview meta and loads a face with the HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.routes.page import STATIC_DIR
from pixelgan.app.settings import Settings
from pydantic import ValidationError


def test_page_is_served_with_a_same_origin_policy(generator_path: Path) -> None:
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert re.search(r"<title>seed \d+ · pixelgan</title>", response.text)  # a random face
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response.headers["cache-control"] == "no-cache"


def test_page_assets_are_served_and_reference_nothing_outside(generator_path: Path) -> None:
    names = sorted(path.name for path in STATIC_DIR.iterdir())
    assert {"page.css", "page.js"} <= set(names)
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


class PageHead(HTMLParser):
    """The meta tags (property or name -> content) and the first face's <img> attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.face: dict[str, str | None] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "meta" and (key := found.get("property") or found.get("name")):
            self.meta[key] = found.get("content") or ""
        if tag == "img" and found.get("id") == "face":
            self.face = found


def page_head(client: TestClient, address: str) -> PageHead:
    response = client.get(address)
    assert response.status_code == 200
    parsed = PageHead()
    parsed.feed(response.text)
    return parsed


@pytest.fixture
def client(generator_path: Path) -> TestClient:
    """The app on the small test generator (a 12x12 grid)."""
    with TestClient(create_app(Settings(weights=generator_path))) as client:
        yield client


def test_page_for_a_seed_previews_that_face_by_absolute_url(client: TestClient) -> None:
    head = page_head(client, "/?seed=42&levels=4&dither=bayer4")
    assert head.meta["og:title"] == "seed 42 · pixelgan"
    assert head.meta["og:image"] == "http://testserver/generate?seed=42&scale=16&levels=4&dither=bayer4"
    assert head.meta["og:url"] == "http://testserver/?seed=42&levels=4&dither=bayer4"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("192", "192")  # 12 cells x 16
    assert head.meta["twitter:card"] == "summary_large_image"
    image = client.get(head.meta["og:image"].removeprefix("http://testserver"))
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"


def test_page_loads_the_face_of_its_seed_with_the_html(client: TestClient) -> None:
    head = page_head(client, "/?seed=42")
    assert head.face["src"] == "/generate?seed=42&scale=1"
    assert head.face["alt"] == "the face for seed 42"
    assert (head.face["width"], head.face["height"]) == ("12", "12")


def test_page_without_a_seed_loads_a_random_face_with_the_html(client: TestClient) -> None:
    head = page_head(client, "/")
    seed = head.face["data-seed"]
    assert head.face["src"] == f"/generate?seed={seed}&scale=1"
    assert head.meta["og:image"] == f"http://testserver/generate?seed={seed}&scale=16"


@pytest.mark.parametrize(
    ("address", "title", "image"),
    [
        ("/?view=grid&seed=100&n=36", "seeds 100 to 135 · pixelgan", "/grid?seed=100&n=36&scale=4"),
        (
            "/?view=grid&seed=4294967290",
            "seeds 4294967280 to 4294967295 · pixelgan",
            "/grid?seed=4294967280&n=16&scale=4",
        ),
        ("/?view=morph&from=4&to=11", "morph from seed 4 to seed 11 · pixelgan", "/generate?seed=4&scale=16"),
    ],
    ids=["grid", "grid-last-page", "morph"],
)
def test_page_for_grid_and_morph_previews_their_png(client: TestClient, address: str, title: str, image: str) -> None:
    head = page_head(client, address)
    assert head.meta["og:title"] == title
    assert head.meta["og:image"] == "http://testserver" + image
    assert head.meta["twitter:card"] == "summary_large_image"
    assert client.get(image).status_code == 200
    assert "src" not in head.face  # only the face view loads a face with the HTML


def test_page_previews_name_the_public_url_when_set(generator_path: Path) -> None:
    settings = Settings(weights=generator_path, public_url="https://faces.example/pixelgan/")
    with TestClient(create_app(settings)) as client:
        head = page_head(client, "/?seed=7")
    assert head.meta["og:image"] == "https://faces.example/pixelgan/generate?seed=7&scale=16"
    assert head.meta["og:url"] == "https://faces.example/pixelgan/?seed=7"


def test_public_url_setting_takes_only_an_http_address() -> None:
    with pytest.raises(ValidationError):
        Settings(public_url="javascript:alert(1)")


@pytest.mark.parametrize(
    "address",
    [
        '/?seed="><script>alert(1)</script>',
        "/?view=grid&seed=1&n=<b>&levels=<i>",
        '/?view=morph&from=1&to=2"onload="x',
        "/?view=<svg/onload=x>&dither=<u>",
    ],
)
def test_page_never_echoes_the_query_unescaped(client: TestClient, address: str) -> None:
    response = client.get(address)
    assert response.status_code == 200
    assert not re.search(r"<(script>alert|b>|i>|u>|svg)|onload=", response.text)
    head = page_head(client, address)
    assert "svg" not in head.tags and head.tags.count("script") == 1
    assert all("<" not in value and '"' not in value for value in head.meta.values())
