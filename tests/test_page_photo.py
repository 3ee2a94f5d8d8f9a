"""The photo view has no dead ends, in a real browser (see tests/test_page.py).

Before a photo and after a refusal it shows no caption without its picture and no download
with nothing to save; a photo in which the face crop finds no face offers the centre crop.
"""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.browsing import needs_chromium, shown_image
from tests.conftest import photo_bytes

pytestmark = needs_chromium


def choose_photo(page: Page, name: str, content: bytes) -> None:
    page.set_input_files("#photo-file", files=[{"name": name, "mimeType": "image/png", "buffer": content}])


def test_photo_view_before_a_photo_shows_no_empty_captions_or_download(page: Page) -> None:
    page.goto("/?view=photo")
    expect(page.locator("#drop-zone")).to_be_visible()
    expect(page.locator("#photo-view figcaption:visible")).to_have_count(0)
    expect(page.locator("#photo-view .download button")).to_be_hidden()


def test_photo_refused_leaves_no_empty_caption_or_download(page: Page) -> None:
    page.goto("/?view=photo")
    choose_photo(page, "notes.txt", b"these are words, not pixels\n" * 4)
    expect(page.locator("#photo-view .error")).to_be_visible()
    expect(page.get_by_text("pixelated", exact=True)).to_be_hidden()
    expect(page.locator("#photo-view .download button")).to_be_hidden()


def test_photo_without_a_face_offers_the_centre_crop(page: Page, api: httpx.Client) -> None:
    photo = photo_bytes((160, 120))  # a gradient and a disc: no face
    page.goto("/?view=photo")
    page.select_option("#photo-crop", "face")
    choose_photo(page, "no-face.png", photo)
    answer = api.post("/pixelate?boxes=40&scale=1&crop=face", files={"file": ("no-face.png", photo, "image/png")})
    assert answer.json()["code"] == "no_face"
    expect(page.locator("#photo-view .error")).to_have_text(answer.json()["detail"])
    expect(page.get_by_text("pixelated", exact=True)).to_be_hidden()

    page.click("#use-center-crop")
    expect(page.locator("#photo-crop")).to_have_value("center")
    request = "/pixelate?boxes=40&scale=1&color=false&crop=center"
    expected = api.post(request, files={"file": ("no-face.png", photo, "image/png")}).content
    assert shown_image(page, "#pixelated", request) == expected
    expect(page.locator("#photo-view .error")).to_be_hidden()
    expect(page.locator("#no-face")).to_be_hidden()
    expect(page.get_by_text("pixelated", exact=True)).to_be_visible()
    expect(page.locator("#photo-view .download button")).to_be_visible()
