"""The page's model and palette pickers, in a real browser (see tests/test_page.py): filled from
/models and the API's palettes, kept in the URL, and every face drawn with what they say."""

from __future__ import annotations

import io
import re

import httpx
import numpy as np
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browsing import face_request, needs_chromium, shown_image

pytestmark = needs_chromium


def test_model_picker_lists_the_served_models_default_first(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42")
    names = [entry["name"] for entry in api.get("/models").json()["models"]]
    assert len(names) >= 2
    expect(page.locator("#look-model option")).to_have_count(len(names))
    assert [text.removesuffix(" (colour)") for text in page.locator("#look-model option").all_inner_texts()] == names
    expect(page.locator("#look-model")).to_have_value(names[0])


def test_model_chosen_goes_in_the_url_and_draws_the_face(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42")
    plain = shown_image(page, "#face", face_request(42))
    page.select_option("#look-model", "celebrity-mlp")
    expect(page).to_have_url(re.compile(r"/\?seed=42&model=celebrity-mlp$"))
    request = face_request(42) + "&model=celebrity-mlp"
    drawn = shown_image(page, "#face", request)
    assert drawn == api.get(request).content
    assert drawn != plain
    page.click("#next")  # the model rides along to the next seed
    shown_image(page, "#face", face_request(43) + "&model=celebrity-mlp")


def test_model_from_a_link_is_selected_and_kept_in_the_grid(page: Page) -> None:
    page.goto("/?seed=42&model=celebrity-conv")
    shown_image(page, "#face", face_request(42) + "&model=celebrity-conv")
    expect(page.locator("#look-model")).to_have_value("celebrity-conv")
    page.click('nav a[data-view="grid"]')
    expect(page).to_have_url(re.compile(r"view=grid.*model=celebrity-conv"))


def test_unknown_model_in_a_link_says_so_and_draws_with_the_default(page: Page) -> None:
    page.goto("/?seed=42&model=nope")
    expect(page.locator("#notice")).to_contain_text("“nope” is not a model (celebrity-face")
    shown_image(page, "#face", face_request(42))
    expect(page).to_have_url(re.compile(r"/\?seed=42$"))


def test_palette_chosen_goes_in_the_url_and_leaves_levels_out(page: Page, api: httpx.Client) -> None:
    page.goto("/?seed=42&levels=4&dither=bayer4")
    shown_image(page, "#face", face_request(42) + "&levels=4&dither=bayer4")
    expect(page.locator("#look-palette option")).to_have_count(5)
    page.select_option("#look-palette", "gameboy")
    expect(page).to_have_url(re.compile(r"/\?seed=42&dither=bayer4&palette=gameboy$"))
    expect(page.locator("#look-levels")).to_be_disabled()
    request = face_request(42) + "&palette=gameboy&dither=bayer4"
    drawn = shown_image(page, "#face", request)
    assert drawn == api.get(request).content
    colours = np.unique(np.asarray(Image.open(io.BytesIO(drawn)).convert("RGB")).reshape(-1, 3), axis=0)
    assert {tuple(colour) for colour in colours} <= {(15, 56, 15), (48, 98, 48), (139, 172, 15), (155, 188, 15)}
    page.select_option("#look-palette", "grey")
    expect(page.locator("#look-levels")).to_be_enabled()
    expect(page).to_have_url(re.compile(r"/\?seed=42&dither=bayer4$"))


def test_palette_with_levels_in_a_link_drops_the_levels_and_says_why(page: Page) -> None:
    page.goto("/?seed=42&palette=pico8&levels=4")
    expect(page.locator("#notice")).to_contain_text(
        "The pico8 palette has its own colours, so grey levels are left out."
    )
    shown_image(page, "#face", face_request(42) + "&palette=pico8")
    expect(page.locator("#look-palette")).to_have_value("pico8")
