"""GET /: a page to try the service in a browser; /static/ serves its CSS and JavaScript.

The page is plain HTML, CSS and JavaScript shipped as package data in `app/static/` and
`app/templates/` (no build step). It calls the same public endpoints as any client, and its
Content-Security-Policy lets it load nothing from outside this service. The HTML answered for
an address names that view's image in its link-preview meta and, for a face, starts loading
the face with the page (`app.page_html`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pixelgan.app.model_state import AppSettings, Models
from pixelgan.app.page_html import page_html
from pixelgan.model.catalog import UnknownModelError

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# Everything from this origin only; blob: for the images the page has fetched and holds in
# memory (shown, saved, or read back).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; "
    "connect-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# The page and its assets change with the package, not with the model: revalidate each load.
PAGE_HEADERS = {"Cache-Control": "no-cache", "Content-Security-Policy": CONTENT_SECURITY_POLICY}
DEFAULT_GRID = 40  # the grid an <img> is sized for while the model is still loading

router = APIRouter(include_in_schema=False)


@router.get("/")
def page(request: Request, settings: AppSettings) -> HTMLResponse:
    """The page; its state (view, seeds) lives in the query string, read by the JavaScript."""
    site = settings.public_url or str(request.base_url)
    # A name given twice counts as its first value, as the page's URLSearchParams.get reads it.
    query = dict(reversed(request.query_params.multi_items()))
    models = getattr(request.app.state, "models", None)
    grid = _model_grid(models, query.get("model")) if models is not None else DEFAULT_GRID
    keys = [key for state in models.all for key in (state.name, state.file.model_id)] if models is not None else []
    body = page_html(query, site=site.rstrip("/"), grid=grid, models=keys)
    return HTMLResponse(body, headers=PAGE_HEADERS)


def static_files() -> StaticFiles:
    """The page's assets, to mount at /static."""
    return StaticFiles(directory=STATIC_DIR)


def _model_grid(models: Models, key: str | None) -> int:
    """The grid of the model the URL names; the default's when it names none or an unknown one."""
    try:
        return models.find(key).generator.config.grid
    except UnknownModelError:
        return models.default.generator.config.grid
