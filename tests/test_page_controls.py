"""The page's controls do what a visitor expects, in a real browser (see tests/test_page.py).

Each test here names a control that once did nothing, or the wrong thing (issue 21): a dither
at 256 levels, levels typed below 2, a morph that could not be paused or whose bad fields only
got the browser's bubble, a capital R, a grid past the last seed, a tab that forgot the seed,
focus lost after opening a face from the grid, and downloads sized for a 40-cell grid.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from playwright.sync_api import Page, expect

from tests.browsing import drawn_frame, face_request, gif_frames, needs_chromium, shown_image, url_seed, wait_for_walk
from tests.conftest import write_generator
from tests.servers import serving_in_thread

pytestmark = needs_chromium
WALK = "/morph?from=4&to=11&frames=32&ms=80&format=gif&scale=1"


def test_dither_chosen_at_256_levels_brings_the_levels_down_and_changes_the_face(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42")
    plain = shown_image(page, "#face", face_request(42))
    page.select_option("#look-dither", "floyd")
    expect(page).to_have_url(re.compile(r"/\?seed=42&levels=4&dither=floyd$"))
    expect(page.locator("#look-levels")).to_have_value("4")
    request = face_request(42) + "&levels=4&dither=floyd"
    dithered = shown_image(page, "#face", request)
    assert dithered == api.get(request).content
    assert dithered != plain
    expect(page.locator("#look-hint")).to_be_hidden()


def test_dither_at_256_levels_from_a_link_says_why_it_changes_nothing(page: Page) -> None:
    page.goto("/?seed=42&dither=bayer4")
    shown_image(page, "#face", face_request(42) + "&dither=bayer4")
    expect(page.locator("#look-hint")).to_have_text("A dither shows only below 256 grey levels.")


def test_levels_typed_below_two_stop_at_two_and_keep_the_face(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42")
    shown_image(page, "#face", face_request(42))
    page.fill("#look-levels", "1")
    page.press("#look-levels", "Enter")
    expect(page).to_have_url(re.compile(r"/\?seed=42&levels=2$"))
    expect(page.locator("#look-levels")).to_have_value("2")
    request = face_request(42) + "&levels=2"
    pixels = shown_image(page, "#face", request)
    assert pixels == api.get(request).content
    assert len(np.unique(np.asarray(Image.open(io.BytesIO(pixels))))) <= 2
    expect(page.locator("#face-view .error")).to_be_hidden()


def test_morph_pauses_and_plays_again(page: Page) -> None:
    page.goto("/?view=morph&from=4&to=11")
    wait_for_walk(page, WALK)
    expect(page.locator("#morph-show")).to_have_text("Show")  # the form's button applies; it does not play
    toggle = page.locator("#morph-toggle")
    expect(toggle).to_have_text("Pause")
    toggle.click()
    expect(toggle).to_have_text("Play")
    paused = drawn_frame(page)
    page.wait_for_timeout(500)  # six frames' time
    assert drawn_frame(page) == paused
    toggle.click()
    expect(toggle).to_have_text("Pause")
    moved = "(frame) => document.querySelector('#morph').dataset.frame !== frame"
    page.wait_for_function(moved, arg=str(paused["frame"]))


def test_morph_with_reduced_motion_starts_paused_on_the_first_frame(page: Page, api: httpx.Client) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto("/?view=morph&from=4&to=11")
    wait_for_walk(page, WALK)
    expect(page.locator("#morph-toggle")).to_have_text("Play")
    first = gif_frames(api.get(WALK).content)[0]
    assert drawn_frame(page) == {"frame": 0, "pixels": first}
    page.wait_for_timeout(500)
    assert drawn_frame(page)["frame"] == 0


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        ("#morph-frames", "500", "Frames must be a whole number from 2 to 120."),
        ("#morph-ms", "5", "Milliseconds a frame must be a whole number from 20 to 2000."),
        ("#morph-to", "", "Type the second seed: a whole number from 0 to 4294967295."),
    ],
    ids=["frames-500", "ms-5", "to-empty"],
)
def test_morph_bad_field_says_what_it_takes_and_keeps_the_walk(
    page: Page, field: str, value: str, sentence: str
) -> None:
    page.goto("/?view=morph&from=4&to=11")
    wait_for_walk(page, WALK)
    page.fill(field, value)
    page.click("#morph-show")
    expect(page.locator("#morph-view .error")).to_have_text(sentence)
    expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(field)).to_be_focused()
    expect(page).to_have_url(re.compile(r"view=morph&from=4&to=11$"))
    assert page.locator("#morph").get_attribute("data-src") == WALK
    expect(page.locator("#morph")).to_be_visible()


def test_page_capital_r_opens_a_random_face(page: Page) -> None:
    page.goto("/?seed=7")
    shown_image(page, "#face", face_request(7))
    page.keyboard.press("Shift+R")
    expect(page).not_to_have_url(re.compile(r"/\?seed=7$"))
    shown_image(page, "#face", face_request(url_seed(page)))


def test_faces_tab_keeps_the_seed_after_the_photo_view(page: Page) -> None:
    page.goto("/?seed=42")
    shown_image(page, "#face", face_request(42))
    page.click("nav >> text=Your photo")
    expect(page).to_have_url(re.compile(r"/\?view=photo$"))
    page.click("nav >> text=Faces")
    expect(page).to_have_url(re.compile(r"/\?seed=42$"))
    shown_image(page, "#face", face_request(42))


def test_grid_near_the_last_seed_shows_a_full_page_that_downloads(page: Page, api: httpx.Client) -> None:
    page.goto("/?view=grid&seed=4294967290&n=16")
    expect(page).to_have_url(re.compile(r"view=grid&seed=4294967280&n=16$"))
    expect(page.locator("#grid img")).to_have_count(16)
    shown_image(page, '#grid img[data-seed="4294967295"]', face_request(4294967295))
    with page.expect_download() as download:
        page.click("#grid-view .download button")
    assert Path(download.value.path()).read_bytes() == api.get("/grid?seed=4294967280&n=16&scale=4").content
    page.click("#grid-next")  # past the last page: round to the first
    expect(page).to_have_url(re.compile(r"view=grid&seed=0&n=16$"))
    page.click("#grid-prev")
    expect(page).to_have_url(re.compile(r"view=grid&seed=4294967280&n=16$"))


def test_grid_face_opened_by_keyboard_takes_the_focus(page: Page) -> None:
    page.goto("/?view=grid&seed=100&n=16")
    shown_image(page, '#grid img[data-seed="103"]', face_request(103))
    page.focus('#grid button[data-seed="103"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?seed=103$"))
    expect(page.locator("#face")).to_be_focused()
    page.keyboard.press("ArrowRight")  # the keys work from there
    expect(page).to_have_url(re.compile(r"/\?seed=104$"))


@pytest.fixture(scope="module")
def small_grid_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second server, on a generator whose grid is 12 cells, not 40."""
    weights = write_generator(tmp_path_factory.mktemp("small") / "generator.safetensors")
    with serving_in_thread(create_app(Settings(weights=weights))) as url:
        yield url


def test_downloads_are_sized_from_the_model_grid(page: Page, small_grid_url: str) -> None:
    page.goto(f"{small_grid_url}/?seed=5")
    expect(page.locator("#face-view .download option[value='16']")).to_have_text("192 px")
    page.select_option("#face-view .download select", "8")
    with page.expect_download() as download:
        page.click("#face-view .download button")
    assert download.value.suggested_filename == "pixelgan-seed-5-96px.png"
    assert Image.open(download.value.path()).size == (96, 96)
    page.goto(f"{small_grid_url}/?view=morph&from=1&to=2")
    expect(page.locator("#morph-view .download option[value='8']")).to_have_text("96 px")
