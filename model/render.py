"""The one render pipeline: seeds, photos and walks to image bytes, and the version that names it.

    face = render_faces(generator, 42, scale=8, levels=4, dither="bayer4")   # Rendered(data, media_type)
    face = render_faces(generator, 42, palette="gameboy", dither="floyd")    # RGB in the palette's colours
    sheet = render_faces(generator, 0, count=16, scale=4)                    # a contact sheet of seeds 0..15
    photo = render_photo(jpeg_bytes, boxes=40, scale=8, crop="face")
    walk = render_morph(generator, 3, 7, frames=32, ms=80, fmt="gif", scale=8)

The service's routes and the `pixelgan` command both call these, so a request and a command
with the same parameters give the same bytes. Each returns the bytes and their media type;
bounds on the output (pixels, sides) are the caller's, checked before calling.

Seeded images are served as immutable under an ETag, so the same request must give the same
bytes for as long as the ETag is the same. The ETag names the model (its content hash) and
the request's parameters; `RENDER_VERSION` names the code: this pipeline, the PNG writer
(`model.png`), levels, palettes and dithers (`model.quantize`, `model.palettes`), contact sheets (`model.sheet`), morphs
and their encoders (`model.morph`, `model.animation`), pixelation (`model.pixelate`,
`model.photo`) and the numpy forwards (`model.numpy_conv`, `model.numpy_mlp`), whose float
sums decide rounding. The BLAS thread count is part of it too: every render runs inside
`pinned_blas`.

Bump it in any change that alters one output byte of a request that worked before, then run
`python -m tests.golden.regenerate`; the golden-image tests fail until both are done, and
the regenerate command refuses to overwrite changed bytes while the number is unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pixelgan.model.animation import DEFAULT_FRAME_MS, MEDIA_TYPES, encode_animation
from pixelgan.model.inference import NumpyGenerator
from pixelgan.model.morph import DEFAULT_FRAMES, morph_faces
from pixelgan.model.palettes import GREY, reduce_colors, sheet_background
from pixelgan.model.photo import pixelate_photo
from pixelgan.model.png import encode_png
from pixelgan.model.quantize import MAX_LEVELS
from pixelgan.model.sheet import contact_sheet, unit_to_uint8
from threadpoolctl import ThreadpoolController

RENDER_VERSION = 2
# A batched product sums in an order that depends on how many threads BLAS splits it over,
# and the rounding to grey levels then differs in a few pixels of a /grid or /morph. So every
# render runs BLAS on this many threads: the same bytes whatever the machine's cores.
BLAS_THREADS = 1
PNG = "image/png"


@dataclass(frozen=True)
class Rendered:
    """Encoded image bytes and their media type (image/png, image/gif or image/webp)."""

    data: bytes
    media_type: str


def render_faces(
    generator: NumpyGenerator,
    seed: int,
    count: int = 1,
    *,
    scale: int = 8,
    levels: int = MAX_LEVELS,
    dither: str = "none",
    palette: str = GREY,
) -> Rendered:
    """The PNG of seed `seed`'s face, or with `count` > 1 the contact sheet of seeds seed..seed+count-1.

    The faces are one batch; each is quantised on its own grid, so a dither pattern starts at
    its corner, and a colour generator's per channel. Every pixel becomes a `scale` x `scale` block.
    """
    with pinned_blas():
        faces = generator.faces_for_seeds(range(seed, seed + count))  # (N, g, g) grey or (N, g, g, 3) RGB
        faces = reduce_colors(faces, levels=levels, dither=dither, palette=palette, color=faces.ndim == 4)
        pixels = faces[0] if count == 1 else contact_sheet(faces, background=sheet_background(palette))
        return Rendered(encode_png(pixels, scale), PNG)


def render_photo(
    source: bytes | str | Path | BinaryIO,
    *,
    boxes: int = 40,
    scale: int = 8,
    color: bool = False,
    crop: str = "center",
    levels: int = MAX_LEVELS,
    dither: str = "none",
    palette: str = GREY,
    max_pixels: int | None = None,
    max_decode_bytes: int | None = None,
    fast: bool = False,
) -> Rendered:
    """The PNG of a photo's `boxes` x `boxes` grid (`model.photo.pixelate_photo`), quantised and upscaled.

    Raises `pixelate_photo`'s errors for a photo that cannot be used.
    """
    with pinned_blas():
        grid = pixelate_photo(
            source, boxes, color=color, max_pixels=max_pixels, max_decode_bytes=max_decode_bytes, fast=fast, crop=crop
        )
        pixels = reduce_colors(unit_to_uint8(grid), levels=levels, dither=dither, palette=palette, color=color)
        return Rendered(encode_png(pixels, scale), PNG)


def render_morph(
    generator: NumpyGenerator,
    seed_from: int,
    seed_to: int,
    *,
    frames: int = DEFAULT_FRAMES,
    ms: int = DEFAULT_FRAME_MS,
    fmt: str = "gif",
    scale: int = 8,
    levels: int = MAX_LEVELS,
    dither: str = "none",
    palette: str = GREY,
) -> Rendered:
    """The looping animation from `seed_from`'s face to `seed_to`'s and back (`model.morph`), in `fmt`."""
    with pinned_blas():
        faces = morph_faces(generator, seed_from, seed_to, frames)  # (frames, g, g) grey or (frames, g, g, 3) RGB
        faces = reduce_colors(faces, levels=levels, dither=dither, palette=palette, color=faces.ndim == 4)
        return Rendered(encode_animation(faces, scale=scale, ms=ms, fmt=fmt), MEDIA_TYPES[fmt])


class SharedBlasPin:
    """BLAS held at `threads` while any holder is inside; the last one out restores the setting.

    threadpoolctl's own context restores the limit on every exit, which would let one render
    finishing unpin another still running in a second thread. Here nested and concurrent
    holders share one pin, set and restored under a lock. threadpoolctl (3.8 on) also lets
    only one thread at a time set OpenBLAS's limit, ignoring the others, so a process that
    renders from many threads holds the pin around all of them from one thread, as the
    service's lifespan does: the requests' own pins then nest inside it and set nothing.
    """

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._lock = threading.Lock()
        self._holders = 0
        self._controller: ThreadpoolController | None = None
        self._limiter = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                if self._controller is None:  # finding the loaded BLAS libraries takes about 0.5 ms
                    self._controller = ThreadpoolController()
                self._limiter = self._controller.limit(limits=self.threads, user_api="blas")
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0:
                    self._limiter.restore_original_limits()
                    self._limiter = None


# The process's one pin: BLAS is process-wide, so every render shares it.
BLAS_PIN = SharedBlasPin(BLAS_THREADS)


def pinned_blas() -> AbstractContextManager[None]:
    """Inside the block BLAS runs on `BLAS_THREADS` threads (process-wide); blocks may nest and overlap."""
    return BLAS_PIN.held()
