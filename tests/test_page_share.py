"""Sharing and the first face, in a real browser (see tests/test_page.py): a copy-link button,
and the face of a link shown from the HTML itself, before (and without) any script.

The link-preview meta of the same HTML is tested over HTTP in tests/test_app_page.py.
"""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.browsing import IMAGE_BYTES, SHOWN, face_request, needs_chromium, shown_image

pytestmark = needs_chromium
FACE_LOADED = "() => { const img = document.querySelector('#face'); return img.complete && img.naturalWidth > 0; }"


def test_copy_link_puts_the_address_of_the_view_on_the_clipboard(page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/?seed=42&levels=4")
    shown_image(page, "#face", face_request(42) + "&levels=4")
    page.click("#copy-link")
    expect(page.locator("#copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def test_copy_link_without_the_clipboard_shows_the_link_selected(page: Page) -> None:
    page.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new Error('not allowed'))")
    page.goto("/?view=grid&seed=0&n=16")
    page.click("#copy-link")
    field = page.locator("#copy-status input")
    expect(field).to_have_value(page.url)
    expect(field).to_be_focused()
    assert field.evaluate("input => input.selectionEnd - input.selectionStart") == len(page.url)


def test_first_face_shows_from_the_html_without_any_script(page: Page, api: httpx.Client) -> None:
    page.route("**/*.js", lambda route: route.abort())
    page.goto("/?seed=42")
    expect(page).to_have_title("seed 42 · pixelgan")
    page.wait_for_function(FACE_LOADED)
    face = page.locator("#face")
    expect(face).to_be_visible()
    assert face.get_attribute("src") == face_request(42)
    assert bytes(page.evaluate(IMAGE_BYTES, "#face")) == api.get(face_request(42)).content
    expect(page.locator("#seed-label")).to_have_text("42")


def test_first_face_is_asked_for_before_the_api_description(page: Page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/?seed=42")
    page.wait_for_function(SHOWN, arg=["#face", face_request(42)])
    page.wait_for_function("() => document.querySelector('#look-form').hidden === false")  # /openapi.json answered
    paths = [url.split("/", 3)[-1] for url in requests]
    assert paths.index(face_request(42)[1:]) < paths.index("openapi.json"), paths
    assert paths.count(face_request(42)[1:]) == 1, paths  # the script keeps the face the HTML loaded
