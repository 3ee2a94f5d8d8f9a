"""Helpers for the browser tests of the page (tests/test_page*.py); their fixtures are in conftest.py.

    pytestmark = needs_chromium
    pixels = shown_image(page, "#face", face_request(42))   # waits, then the bytes the img shows

The browser is the system Chromium (Debian's `chromium` package, which `.ci/run` installs;
see `scripts/browser.py`); without one the browser tests are skipped with that reason.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page

from scripts.browser import chromium_path

CHROMIUM = chromium_path()
MAX_UPLOAD_BYTES = 1 << 20  # the browser tests' server takes uploads up to 1 MiB

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium to drive: install Debian's chromium package (.ci/run does) or set PIXELGAN_CHROMIUM",
)

# A face is shown once its img holds the API's answer for this request (see loadImage in api.js).
SHOWN = """([selector, request]) => {
  const img = document.querySelector(selector);
  return img && !img.hidden && img.dataset.src === request && img.complete && img.naturalWidth > 0;
}"""
# The morph's canvas (player.js): the frame it draws now, and that frame's RGBA bytes.
DRAWN_FRAME = """() => {
  const canvas = document.querySelector("#morph");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  return { frame: Number(canvas.dataset.frame), pixels: Array.from(pixels) };
}"""
IMAGE_BYTES = """async (selector) => {
  const response = await fetch(document.querySelector(selector).src);
  return Array.from(new Uint8Array(await response.arrayBuffer()));
}"""


def shown_image(page: Page, selector: str, request: str) -> bytes:
    """Wait until `selector` shows the API's answer to `request`, then return the bytes it shows."""
    page.wait_for_function(SHOWN, arg=[selector, request])
    return bytes(page.evaluate(IMAGE_BYTES, selector))


def face_request(seed: int | str) -> str:
    return f"/generate?seed={seed}&scale=1"


def url_seed(page: Page) -> int:
    match = re.search(r"[?&]seed=(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def wait_for_walk(page: Page, request: str) -> None:
    """Wait until the morph's canvas draws the walk that `request` (a GIF from /morph) returns."""
    page.wait_for_function("(request) => document.querySelector('#morph').dataset.src === request", arg=request)


def drawn_frame(page: Page) -> dict:
    """{"frame": index, "pixels": RGBA bytes} of what the morph's canvas shows now."""
    drawn = page.evaluate(DRAWN_FRAME)
    return {"frame": drawn["frame"], "pixels": bytes(drawn["pixels"])}


def gif_frames(gif: bytes) -> list[bytes]:
    """Each frame of a GIF as Pillow decodes it, RGBA bytes: the reference for the page's decoder."""
    image = Image.open(io.BytesIO(gif))
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGBA").tobytes())
    return frames
