"""PNG responses: the caching headers, ETags and 304s, in one place.

    if etag_matches(request, etag): return not_modified(etag)
    return png_response(png_bytes, cache_control=IMMUTABLE, headers={"ETag": etag})

Seeded faces never change for a given model and code, so they are cached for a year as
immutable under an ETag of the model id, the render version (`model.render`) and every
parameter that changes the bytes; anything random or uploaded is no-store.
"""

from __future__ import annotations

from fastapi import Request, Response
from pixelgan.model import render

IMMUTABLE = "public, max-age=31536000, immutable"
NO_STORE = "no-store"
PNG_RESPONSES = {200: {"content": {"image/png": {}}, "description": "A PNG image."}}


def make_etag(model_id: str, *parts: object) -> str:
    """'"<model id>-r<render version>-<part>-<part>..."': pass every parameter that changes the bytes."""
    return '"' + "-".join([model_id, f"r{render.RENDER_VERSION}", *(str(part) for part in parts)]) + '"'


def etag_matches(request: Request, etag: str) -> bool:
    """True when If-None-Match names `etag` (weak or strong) or is `*`."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    candidates = {candidate.strip().removeprefix("W/") for candidate in header.split(",")}
    return "*" in candidates or etag in candidates


def not_modified(etag: str) -> Response:
    return Response(status_code=304, headers={"ETag": etag, "Cache-Control": IMMUTABLE})


def png_response(png: bytes, *, cache_control: str, headers: dict[str, str] | None = None) -> Response:
    return Response(png, media_type="image/png", headers={"Cache-Control": cache_control, **(headers or {})})
