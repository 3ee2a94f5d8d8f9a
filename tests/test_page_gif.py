"""The page's GIF decoder (app/static/gif.js) against Pillow's, frame by frame, in a real browser.

The morph view draws its walk from this decoder (tests/test_page.py checks it on the
service's own GIFs); here it meets what else GIF89a allows, as Pillow writes it: frames
smaller than the picture, interlacing, transparency and disposal, local colour tables, and
noise that fills LZW's 4096-code table.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page

from tests.browsing import gif_frames, needs_chromium

pytestmark = needs_chromium
DECODE = """async (bytes) => {
  const { decodeGif } = await import("/static/gif.js");
  const { frames } = decodeGif(new Uint8Array(bytes));
  return frames.map((frame) => ({ pixels: Array.from(frame.pixels), delay: frame.delay }));
}"""


def gif(frames: list[Image.Image], **options: object) -> bytes:
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], loop=0, **options)
    return buffer.getvalue()


def grey(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(pixels.astype(np.uint8))


def moving_square(count: int = 4, side: int = 48) -> list[np.ndarray]:
    """A dark square moving over a gradient: frames that differ in a small rectangle."""
    frames = []
    for index in range(count):
        pixels = np.tile(np.linspace(0, 255, side), (side, 1))
        pixels[8 + 4 * index : 20 + 4 * index, 10:22] = 30
        frames.append(pixels)
    return frames


def noise(seed: int, size: tuple[int, int] = (150, 120)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(size[1], size[0]))


def colour_noise(seed: int) -> Image.Image:
    rgb = np.random.default_rng(seed).integers(0, 256, size=(60, 80, 3)).astype(np.uint8)
    return Image.fromarray(rgb).quantize(256)


def transparent_frames() -> list[Image.Image]:
    frames = []
    for index in range(3):
        pixels = np.zeros((32, 32), dtype=np.uint8)  # index 0: transparent
        pixels[4 + 6 * index : 14 + 6 * index, 6:26] = 1 + index
        frame = Image.fromarray(pixels, mode="P")
        frame.putpalette([0, 0, 0, 250, 40, 40, 40, 250, 40, 40, 40, 250] + [0] * 756)
        frames.append(frame)
    return frames


CASES = {
    "cropped-frames": lambda: gif([grey(frame) for frame in moving_square()], duration=120),
    "interlaced": lambda: gif([grey(frame) for frame in moving_square(2)], interlace=True, duration=50),
    "full-code-table": lambda: gif([grey(noise(0)), grey(noise(1))], duration=[10, 200]),
    "local-colour-tables": lambda: gif([colour_noise(2), colour_noise(3)], duration=80),
    "transparent-disposal-2": lambda: gif(transparent_frames(), transparency=0, disposal=2, duration=80),
    "transparent-kept": lambda: gif(transparent_frames(), transparency=0, disposal=1, duration=80),
}


def without_hidden_colour(rgba: bytes) -> np.ndarray:
    """RGBA pixels with the colour of fully transparent ones zeroed: it is never seen."""
    pixels = np.frombuffer(rgba, dtype=np.uint8).reshape(-1, 4).copy()
    pixels[pixels[:, 3] == 0] = 0
    return pixels


@pytest.mark.parametrize("case", CASES)
def test_gif_decoder_draws_every_frame_as_pillow_does(page: Page, case: str) -> None:
    data = CASES[case]()
    page.goto("/?view=photo")
    decoded = page.evaluate(DECODE, list(data))
    expected = gif_frames(data)
    assert len(decoded) == len(expected)
    for index, (frame, reference) in enumerate(zip(decoded, expected, strict=True)):
        assert np.array_equal(without_hidden_colour(bytes(frame["pixels"])), without_hidden_colour(reference)), index
    durations = []
    image = Image.open(io.BytesIO(data))
    for index in range(image.n_frames):
        image.seek(index)
        durations.append(image.info["duration"])
    assert [frame["delay"] for frame in decoded] == [100 if ms < 20 else ms for ms in durations]


def test_gif_decoder_refuses_what_is_not_a_gif(page: Page) -> None:
    page.goto("/?view=photo")
    refused = page.evaluate(
        """async () => {
          const { decodeGif } = await import("/static/gif.js");
          const attempts = [new TextEncoder().encode("PNG, not GIF"), new TextEncoder().encode("GIF89a\\x28")];
          return attempts.map((bytes) => {
            try {
              decodeGif(bytes);
              return null;
            } catch (error) {
              return error.message;
            }
          });
        }"""
    )
    assert refused == ["not a GIF", "a GIF cut short"]
