"""GET /: a page to try the service in a browser; /static/ serves its CSS and JavaScript.

The page is plain HTML, CSS and JavaScript shipped as package data in `app/static/` (no
build step). It calls the same public endpoints as any client, and its Content-Security-Policy
lets it load nothing from outside this service.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# Everything from this origin only; blob: for the images the page has fetched and holds in
# memory (shown, saved, or read back).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; "
    "connect-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# The page and its assets change with the package, not with the model: revalidate each load.
PAGE_HEADERS = {"Cache-Control": "no-cache", "Content-Security-Policy": CONTENT_SECURITY_POLICY}

router = APIRouter(include_in_schema=False)


@router.get("/")
def page() -> FileResponse:
    """The page; its state (view, seeds) lives in the query string, read by the JavaScript."""
    return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)


def static_files() -> StaticFiles:
    """The page's assets, to mount at /static."""
    return StaticFiles(directory=STATIC_DIR)
