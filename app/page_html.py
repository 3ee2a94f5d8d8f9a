"""The page's HTML for one address: its title, link-preview meta and the first face, filled in.

    html = page_html({"seed": "42"}, site="https://pixelgan.example", grid=40, models=("celebrity-face",))

GET / answers the same page for every view, and the JavaScript reads the view from the query
string. What must not wait for the JavaScript is filled in here: the title and the `og:` and
`twitter:` meta that make a pasted link show its face in a chat, and, in the face view, the
face's `<img>` itself, so that its request starts with the HTML instead of after the scripts.
Values that are not valid (a seed "abc") are left for the page to explain; nothing from the
request reaches the HTML but numbers and names checked here, and all of it is escaped.

The scripts are not preloaded (`modulepreload`): on a slow link their bytes came before the
face's and the stylesheet's, and the face showed later (benchmarks/page_start.py measures it).
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from string import Template
from urllib.parse import urlencode

from pixelgan.model.inference import SEED_MAX
from pixelgan.model.palettes import GREY, PALETTES
from pixelgan.model.quantize import DITHERS, MAX_LEVELS, MIN_LEVELS
from pixelgan.model.sheet import sheet_shape

TEMPLATE = Template((Path(__file__).resolve().parent / "templates" / "page.html").read_text(encoding="utf-8"))
# The page's own choices for a grid's size (static/grid.js); the API takes any n up to 64.
GRID_SIZES = (16, 36, 64)
PREVIEW_FACE_SCALE = 16  # a 40x40 face as 640x640: large enough for any chat's preview card
PREVIEW_GRID_SCALE = 4
DESCRIPTION = "Pixel-art faces from a small GAN. Every seed is a face; every face has a link."


@dataclass(frozen=True)
class Preview:
    """What a link to one view shows before any script runs."""

    title: str
    page_query: list[tuple[str, str]]  # the view's own address, from checked values only
    image_query: str | None = None  # the API request for its preview image, e.g. /generate?seed=42&scale=16
    image_size: tuple[int, int] | None = None  # (width, height) of that image
    image_alt: str = ""
    first_face: int | None = None  # the face view's seed, whose <img> goes into the HTML


def page_html(query: Mapping[str, str], *, site: str, grid: int, models: Collection[str] = ()) -> str:
    """The page for this query string; `site` is the absolute address of "/" without the slash;
    `models` are the names and ids that `model=` may take."""
    preview = preview_for(query, grid, models)
    look = look_of(query, models)
    seed = "" if preview.first_face is None else str(preview.first_face)
    face = {"width": grid, "height": grid, "alt": ""}
    if preview.first_face is not None and look is not None:
        face["src"] = "/generate?" + urlencode([("seed", seed), ("scale", "1"), *look])
        face["alt"] = f"the face for seed {seed}"
        face["fetchpriority"] = "high"
        face["elementtiming"] = "first-face"  # when it is painted, for benchmarks/page_start.py
        face["data-seed"] = seed
    return TEMPLATE.substitute(
        title=html.escape(preview.title),
        preview=preview_meta(preview, site),
        face_hidden="" if face.get("src") else " hidden",
        face_image=" ".join(f'{name}="{html.escape(str(value))}"' for name, value in face.items()),
        seed=html.escape(seed),
        grid=grid,
    )


def preview_for(query: Mapping[str, str], grid: int, models: Collection[str] = ()) -> Preview:
    """The title and preview image of the view this query string asks for."""
    view = query.get("view", "face")
    look = look_of(query, models) or []
    if view == "grid" and (start := seed_of(query.get("seed"))) is not None:
        n = int(query["n"]) if query.get("n") in {str(size) for size in GRID_SIZES} else GRID_SIZES[0]
        start = min(start, SEED_MAX + 1 - n)  # the last page is a full one, as the page shows it
        height, width = sheet_shape(n, grid, grid)
        return Preview(
            title=f"seeds {start} to {start + n - 1} · pixelgan",
            page_query=[("view", "grid"), ("seed", str(start)), ("n", str(n)), *look],
            image_query=f"/grid?{urlencode([('seed', start), ('n', n), ('scale', PREVIEW_GRID_SCALE), *look])}",
            image_size=(width * PREVIEW_GRID_SCALE, height * PREVIEW_GRID_SCALE),
            image_alt=f"{n} pixel-art faces, seeds {start} to {start + n - 1}",
        )
    if view == "morph":
        start, end = seed_of(query.get("from")), seed_of(query.get("to"))
        if start is not None and end is not None:
            return Preview(
                title=f"morph from seed {start} to seed {end} · pixelgan",
                page_query=[("view", "morph"), ("from", str(start)), ("to", str(end)), *look],
                **face_preview(start, grid, look),
            )
    if view in {"grid", "morph", "photo"}:
        return Preview(title=f"{'your photo' if view == 'photo' else view} · pixelgan", page_query=[("view", view)])
    # No seed: the page shows a random face; picked here, its request need not wait for the scripts.
    seed = seed_of(query["seed"]) if query.get("seed") else secrets.randbelow(SEED_MAX + 1)
    if seed is None:
        return Preview(title="pixelgan: pixel-art faces", page_query=[])
    return Preview(
        title=f"seed {seed} · pixelgan",
        page_query=[("seed", str(seed)), *look],
        first_face=seed,
        **face_preview(seed, grid, look),
    )


def face_preview(seed: int, grid: int, look: list[tuple[str, str]]) -> dict:
    """Preview fields for one face's PNG."""
    side = grid * PREVIEW_FACE_SCALE
    return {
        "image_query": f"/generate?{urlencode([('seed', seed), ('scale', PREVIEW_FACE_SCALE), *look])}",
        "image_size": (side, side),
        "image_alt": f"a pixel-art face, seed {seed}",
    }


def preview_meta(preview: Preview, site: str) -> str:
    """The `og:` and `twitter:` meta tags, each value escaped, one a line."""
    query = urlencode(preview.page_query)
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", "pixelgan"),
        ("property", "og:title", preview.title),
        ("property", "og:description", DESCRIPTION),
        ("property", "og:url", f"{site}/{'?' + query if query else ''}"),
        ("name", "twitter:card", "summary_large_image" if preview.image_query else "summary"),
    ]
    if preview.image_query and preview.image_size:
        tags += [
            ("property", "og:image", site + preview.image_query),
            ("property", "og:image:type", "image/png"),
            ("property", "og:image:width", str(preview.image_size[0])),
            ("property", "og:image:height", str(preview.image_size[1])),
            ("property", "og:image:alt", preview.image_alt),
        ]
    return "\n".join(f'  <meta {kind}="{name}" content="{html.escape(value)}">' for kind, name, value in tags)


def seed_of(text: str | None) -> int | None:
    """A seed written as the API takes it (digits, 0 to 2^32 - 1), or None."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > len(str(SEED_MAX)):
        return None
    seed = int(text)
    return seed if seed <= SEED_MAX else None


def look_of(query: Mapping[str, str], models: Collection[str] = ()) -> list[tuple[str, str]] | None:
    """The model, palette, levels and dither given, as the page adds them to every API request;
    None if one is not valid (a model not among `models`, levels with a colour palette)."""
    look = []
    if model := query.get("model"):
        if model not in models:
            return None
        look.append(("model", model))
    if palette := query.get("palette"):
        if palette not in PALETTES or (palette != GREY and query.get("levels")):
            return None
        look.append(("palette", palette))
    if levels := query.get("levels"):
        if not (levels.isascii() and levels.isdigit() and MIN_LEVELS <= int(levels) <= MAX_LEVELS):
            return None
        look.append(("levels", levels))
    if dither := query.get("dither"):
        if dither not in DITHERS:
            return None
        look.append(("dither", dither))
    return look
