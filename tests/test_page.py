"""The page at / in a real browser: headless Chromium driven by Playwright (pytest-playwright).

One uvicorn server on the shipped weights, in a thread, serves every browser test (the
`base_url` fixture in conftest.py; test_install.py serves the page from an installed wheel
with `pixelgan serve`), and every image the page shows is checked against the bytes the API
returns for the same request. The other test_page_*.py files test the page's controls,
photo view, sharing, accessibility and GIF decoder the same way.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browsing import (
    MAX_UPLOAD_BYTES,
    drawn_frame,
    face_request,
    gif_frames,
    needs_chromium,
    shown_image,
    url_seed,
    wait_for_walk,
)
from tests.conftest import photo_bytes

pytestmark = needs_chromium


def test_page_loads_without_console_errors_or_outside_requests(
    page: Page, console_errors: list[str], api: httpx.Client, base_url: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/\?seed=\d+$"))  # a random seed, put in the URL
    shown_image(page, "#face", face_request(url_seed(page)))
    expect(page.locator("#model-id")).to_have_text(api.get("/model").json()["model_id"])
    assert console_errors == []
    assert requests and all(url.startswith(base_url) or url.startswith("blob:") for url in requests), requests


def test_page_seed_in_url_shows_that_face_large_and_crisp(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42")
    assert shown_image(page, "#face", face_request(42)) == api.get(face_request(42)).content
    expect(page.locator("#seed")).to_have_value("42")
    expect(page.locator("#seed-label")).to_have_text("42")
    face = page.locator("#face")
    assert face.evaluate("img => getComputedStyle(img).imageRendering") == "pixelated"
    assert face.evaluate("img => img.naturalWidth") == 40
    assert face.bounding_box()["width"] >= 200  # the browser upscales the 40x40 grid


def test_page_next_previous_and_random_change_url_and_face(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42")
    shown_image(page, "#face", face_request(42))
    page.click("#next")
    expect(page).to_have_url(re.compile(r"/\?seed=43$"))
    assert shown_image(page, "#face", face_request(43)) == api.get(face_request(43)).content
    page.click("#prev")
    page.click("#prev")
    expect(page).to_have_url(re.compile(r"/\?seed=41$"))
    assert shown_image(page, "#face", face_request(41)) == api.get(face_request(41)).content
    page.click("#random")
    expect(page).not_to_have_url(re.compile(r"/\?seed=41$"))
    seed = url_seed(page)
    assert shown_image(page, "#face", face_request(seed)) == api.get(face_request(seed)).content


def test_page_keys_step_seeds_and_back_walks_them(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=7")
    shown_image(page, "#face", face_request(7))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/\?seed=9$"))
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/\?seed=8$"))
    page.keyboard.press("r")
    expect(page).not_to_have_url(re.compile(r"/\?seed=8$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?seed=8$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?seed=9$"))
    assert shown_image(page, "#face", face_request(9)) == api.get(face_request(9)).content


@pytest.mark.parametrize(
    ("address", "mended"),
    [
        ("/?seed=abc", r"/\?seed=42$"),
        ("/?seed=99999999999", r"/\?seed=42$"),
        ("/?view=grid&seed=-3&n=16", r"/\?view=grid&seed=42&n=16$"),
    ],
    ids=["face-letters", "face-too-big", "grid-negative"],
)
def test_page_bad_seed_in_url_says_so_in_plain_words_and_keeps_the_last_face(
    page: Page, api: httpx.Client, address: str, mended: str
) -> None:
    page.goto("/?seed=42")
    shown_image(page, "#face", face_request(42))
    page.goto(address)
    expect(page).to_have_url(re.compile(mended))
    notice = page.locator("#notice")
    expect(notice).to_contain_text("is not a seed (a seed is a whole number from 0 to 4294967295), so this is seed 42")
    assert "Input should be" not in notice.inner_text()
    if "grid" in address:
        assert shown_image(page, '#grid img[data-seed="42"]', face_request(42)) == api.get(face_request(42)).content
    else:
        assert shown_image(page, "#face", face_request(42)) == api.get(face_request(42)).content
        expect(page.locator("#seed")).to_have_value("42")
    expect(page.locator(".view:not([hidden]) .error")).to_be_hidden()


def test_grid_shows_consecutive_seeds_and_a_click_opens_the_face(page: Page, api: httpx.Client) -> None:
    page.goto("/?view=grid&seed=100&n=16")
    thumbnails = page.locator("#grid img")
    expect(thumbnails).to_have_count(16)
    assert shown_image(page, '#grid img[data-seed="115"]', face_request(115)) == api.get(face_request(115)).content
    page.click('#grid button[data-seed="103"]')
    expect(page).to_have_url(re.compile(r"/\?seed=103$"))
    assert shown_image(page, "#face", face_request(103)) == api.get(face_request(103)).content
    page.go_back()
    expect(page).to_have_url(re.compile(r"view=grid&seed=100&n=16$"))
    expect(thumbnails).to_have_count(16)


def test_download_saves_the_png_at_the_chosen_size(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=5")
    shown_image(page, "#face", face_request(5))
    page.select_option("#face-view .download select", "8")
    with page.expect_download() as download:
        page.click("#face-view .download button")
    saved = download.value
    assert saved.suggested_filename == "pixelgan-seed-5-320px.png"
    assert Path(saved.path()).read_bytes() == api.get("/generate?seed=5&scale=8").content


def test_photo_upload_shows_the_pixelated_photo_beside_it(page: Page, api: httpx.Client) -> None:
    photo = photo_bytes((160, 120))
    page.goto("/?view=photo")
    page.set_input_files("#photo-file", files=[{"name": "me.png", "mimeType": "image/png", "buffer": photo}])
    request = "/pixelate?boxes=40&scale=1&color=false&crop=center"
    expected = api.post(request, files={"file": ("me.png", photo, "image/png")}).content
    assert shown_image(page, "#pixelated", request) == expected
    expect(page.locator("#original")).to_be_visible()

    page.fill("#photo-boxes", "16")
    page.check("#photo-color")  # each change posts the photo again
    request = "/pixelate?boxes=16&scale=1&color=true&crop=center"
    pixels = shown_image(page, "#pixelated", request)
    assert pixels == api.post(request, files={"file": ("me.png", photo, "image/png")}).content
    assert Image.open(io.BytesIO(pixels)).size == (16, 16)


def test_photo_dropped_on_the_page_is_pixelated(page: Page, api: httpx.Client) -> None:
    photo = photo_bytes((90, 120), fmt="JPEG")
    page.goto("/?view=photo")
    drop = page.evaluate_handle(
        """(bytes) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], "dropped.jpg", { type: "image/jpeg" }));
          return transfer;
        }""",
        list(photo),
    )
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": drop})
    request = "/pixelate?boxes=40&scale=1&color=false&crop=center"
    expected = api.post(request, files={"file": ("dropped.jpg", photo, "image/jpeg")}).content
    assert shown_image(page, "#pixelated", request) == expected


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("notes.txt", b"these are words, not pixels\n" * 4, 415),  # not an image
        ("broken.png", photo_bytes((120, 90))[:300], 422),  # cut short
        ("big.png", photo_bytes((40, 40)) + bytes(MAX_UPLOAD_BYTES), 413),  # over the upload limit
    ],
    ids=["not-an-image", "damaged", "too-big"],
)
def test_photo_refused_upload_shows_the_api_sentence(
    page: Page, api: httpx.Client, name: str, content: bytes, status: int
) -> None:
    page.goto("/?view=photo")
    page.set_input_files("#photo-file", files=[{"name": name, "mimeType": "image/png", "buffer": content}])
    answer = api.post("/pixelate?boxes=40&scale=1", files={"file": (name, content, "image/png")})
    assert answer.status_code == status
    expect(page.locator("#photo-view .error")).to_have_text(answer.json()["detail"])
    expect(page.locator("#pixelated")).to_be_hidden()


def test_look_controls_quantise_the_face_and_stay_in_the_url(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42")
    shown_image(page, "#face", face_request(42))
    page.fill("#look-levels", "4")
    page.press("#look-levels", "Enter")
    page.select_option("#look-dither", "bayer4")
    expect(page).to_have_url(re.compile(r"/\?seed=42&levels=4&dither=bayer4$"))
    request = face_request(42) + "&levels=4&dither=bayer4"
    pixels = shown_image(page, "#face", request)
    assert pixels == api.get(request).content
    assert len(np.unique(np.asarray(Image.open(io.BytesIO(pixels))))) <= 4
    page.click("#next")  # the look goes with the seed
    expect(page).to_have_url(re.compile(r"/\?seed=43&levels=4&dither=bayer4$"))
    shown_image(page, "#face", face_request(43) + "&levels=4&dither=bayer4")


def test_morph_plays_the_walk_between_two_seeds(page: Page, api: httpx.Client) -> None:
    page.goto("/?view=morph&from=4&to=11")
    request = "/morph?from=4&to=11&frames=32&ms=80&format=gif&scale=1"
    frames = gif_frames(api.get(request).content)
    assert len(frames) == 32
    wait_for_walk(page, request)
    shown_image(page, "#morph-from-face", face_request(4))
    shown_image(page, "#morph-to-face", face_request(11))
    # It plays: the canvas draws the API's frames, one after another, while the page does nothing.
    seen = set()
    for _ in range(40):
        drawn = drawn_frame(page)
        assert drawn["pixels"] == frames[drawn["frame"]]
        seen.add(drawn["frame"])
        if len(seen) >= 3:
            break
        page.wait_for_timeout(130)
    assert len(seen) >= 3


def test_morph_downloads_the_animation_in_the_chosen_format(page: Page, api: httpx.Client) -> None:
    page.goto("/?view=morph&from=1&to=2")
    wait_for_walk(page, "/morph?from=1&to=2&frames=32&ms=80&format=gif&scale=1")
    page.fill("#morph-frames", "8")
    page.click("#morph-show")
    expect(page).to_have_url(re.compile(r"view=morph&from=1&to=2&frames=8&ms=80$"))
    wait_for_walk(page, "/morph?from=1&to=2&frames=8&ms=80&format=gif&scale=1")
    page.select_option("#morph-view .download select >> nth=0", "4")
    page.select_option("#morph-view .download select >> nth=1", "webp")
    with page.expect_download() as download:
        page.click("#morph-view .download button")
    saved = download.value
    assert saved.suggested_filename == "pixelgan-morph-1-to-2.webp"
    expected = api.get("/morph?from=1&to=2&frames=8&ms=80&format=webp&scale=4").content
    assert Path(saved.path()).read_bytes() == expected


def test_page_fits_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/?seed=3")
    shown_image(page, "#face", face_request(3))
    box = page.locator("#face").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 280
    for control in ("#prev", "#seed", "#next", "#random"):
        expect(page.locator(control)).to_be_in_viewport()
    for view in ("/?seed=3", "/?view=grid&seed=0&n=64", "/?view=morph&from=1&to=2", "/?view=photo"):
        page.goto(view)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, view
