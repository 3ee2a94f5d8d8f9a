"""The page is accessible, in a real browser (see tests/test_page.py): axe-core finds no violation
in any view or state, and what axe does not check is checked here: every picture shown has a
text alternative, every control shows keyboard focus, and control edges contrast 3:1.

axe-core comes with `axe-playwright-python` (its axe.min.js ships in the wheel: nothing is
fetched), injected into the page through Playwright, which the page's CSP does not govern.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browsing import face_request, needs_chromium, shown_image, wait_for_walk
from tests.conftest import photo_bytes

pytestmark = needs_chromium
WALK = "/morph?from=4&to=11&frames=32&ms=80&format=gif&scale=1"
PHOTO = photo_bytes((160, 120))


def choose_photo(page: Page, crop: str = "center") -> None:
    page.select_option("#photo-crop", crop)
    page.set_input_files("#photo-file", files=[{"name": "me.png", "mimeType": "image/png", "buffer": PHOTO}])


def type_a_bad_seed(page: Page) -> None:
    page.fill("#seed", "99999999999")
    page.press("#seed", "Enter")
    page.wait_for_selector("#face-view .error")


def pause_the_walk(page: Page) -> None:
    wait_for_walk(page, WALK)
    page.click("#morph-toggle")


def ask_for_500_frames(page: Page) -> None:
    wait_for_walk(page, WALK)
    page.fill("#morph-frames", "500")
    page.click("#morph-show")
    page.wait_for_selector("#morph-view .error")


def pixelate_a_photo(page: Page) -> None:
    choose_photo(page)
    shown_image(page, "#pixelated", "/pixelate?boxes=40&scale=1&color=false&crop=center")


def find_no_face(page: Page) -> None:
    choose_photo(page, "face")
    page.wait_for_selector("#no-face")


def copy_without_a_clipboard(page: Page) -> None:
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('not allowed')); }")
    page.click("#copy-link")
    page.wait_for_selector("#copy-status input")


# Every view and state the page can be in: address -> what to do there (and wait for).
STATES: dict[str, tuple[str, Callable[[Page], None]]] = {
    "face": ("/?seed=42", lambda page: shown_image(page, "#face", face_request(42))),
    "face-mended-link": ("/?seed=abc&levels=1", lambda page: expect(page.locator("#notice")).not_to_be_empty()),
    "face-dither-hint": ("/?seed=42&dither=floyd", lambda page: expect(page.locator("#look-hint")).to_be_visible()),
    "face-typed-error": ("/?seed=42", type_a_bad_seed),
    "grid": ("/?view=grid&seed=0&n=16", lambda page: shown_image(page, '#grid img[data-seed="15"]', face_request(15))),
    "morph-playing": ("/?view=morph&from=4&to=11", lambda page: wait_for_walk(page, WALK)),
    "morph-paused": ("/?view=morph&from=4&to=11", pause_the_walk),
    "morph-field-error": ("/?view=morph&from=4&to=11", ask_for_500_frames),
    "photo-empty": ("/?view=photo", lambda page: expect(page.locator("#photo-crop option")).to_have_count(2)),
    "photo-pixelated": ("/?view=photo", pixelate_a_photo),
    "photo-no-face": ("/?view=photo", find_no_face),
    "copy-link-field": ("/?seed=42", copy_without_a_clipboard),
}

ONE_STATE_A_VIEW = ["face", "grid", "morph-playing", "photo-pixelated"]


# Every state at a desktop's width, and one state a view at a phone's.
@pytest.mark.parametrize(
    ("state", "width"),
    [(state, 1280) for state in STATES] + [(state, 390) for state in ONE_STATE_A_VIEW],
    ids=[*STATES, *(f"{state}-phone" for state in ONE_STATE_A_VIEW)],
)
def test_page_has_no_axe_violations(page: Page, state: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    address, reach = STATES[state]
    page.goto(address)
    reach(page)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("state", ONE_STATE_A_VIEW)
def test_page_pictures_shown_all_have_a_text_alternative(page: Page, state: str) -> None:
    address, reach = STATES[state]
    page.goto(address)
    reach(page)
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll("img, canvas")]
            .filter((element) => element.checkVisibility())
            .filter((element) => !(element.alt || element.getAttribute("aria-label") || "").trim())
            .map((element) => element.id || element.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []


# A control of each kind: a checkbox (whose border the browser does not draw), a number, a
# select, buttons.
FOCUSABLE = ["#photo-color", "#photo-boxes", "#photo-crop", "#copy-link", "#photo-view .download button"]


@pytest.mark.parametrize("control", FOCUSABLE)
def test_page_control_focused_by_keyboard_shows_it(page: Page, control: str) -> None:
    page.goto("/?view=photo")
    pixelate_a_photo(page)
    target = page.locator(control)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    around = {"x": box["x"] - 6, "y": box["y"] - 6, "width": box["width"] + 12, "height": box["height"] + 12}
    page.mouse.move(0, 0)  # no hover border
    unfocused = page.screenshot(clip=around)
    # Tab to it from the control before it, as a keyboard user would.
    target.evaluate("element => element.focus()")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(target).to_be_focused()
    assert target.evaluate("element => element.matches(':focus-visible')")
    assert page.screenshot(clip=around) != unfocused


CONTRAST = """() => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((value) => {
      const c = Number(value) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const page = luminance(getComputedStyle(document.documentElement).backgroundColor);
  return [...document.querySelectorAll("input:not([type=file]):not([type=checkbox]), select, button")]
    .filter((control) => control.checkVisibility())
    .map((control) => {
      const style = getComputedStyle(control);
      const edge = ratio(luminance(style.borderTopColor), page);
      const fill = ratio(luminance(style.backgroundColor), page);
      return [control.id || control.textContent.trim(), Math.round(Math.max(edge, fill) * 100) / 100];
    });
}"""


@pytest.mark.parametrize("state", ONE_STATE_A_VIEW)
def test_page_controls_stand_out_from_the_background_3_to_1(page: Page, state: str) -> None:
    address, reach = STATES[state]
    page.goto(address)
    reach(page)
    measured = page.evaluate(CONTRAST)
    assert measured and all(ratio >= 3 for _, ratio in measured), measured
