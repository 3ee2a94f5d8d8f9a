"""The FastAPI app: load the generators once at startup, then serve the routers.

    uvicorn app.main:create_app --factory        # or: pixelgan serve

Settings come from `PIXELGAN_*` variables (`app.settings`); tests pass their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from pixelgan.app.admission import Admission, AdmissionGate
from pixelgan.app.body_limit import BodyLimitMiddleware
from pixelgan.app.errors import install_error_handlers
from pixelgan.app.guarded_protocol import ConnectionLimits
from pixelgan.app.http_extras import HttpExtrasMiddleware
from pixelgan.app.model_state import load_models
from pixelgan.app.routes import faces, health, morph, page, photos
from pixelgan.app.settings import Settings
from pixelgan.app.shutdown import drain_on_sigterm
from pixelgan.app.single_values import EachParameterOnce
from pixelgan.model.render import pinned_blas
from pixelgan.model.shipped import resolve_weights_list


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()  # the worker's environment, read here once

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict]:
        # Every render pins BLAS to one thread itself (model.render); held for the app's life,
        # the pin is set once per worker rather than twice a request, and the worker's BLAS
        # stays single-threaded: requests already run in parallel threads.
        with pinned_blas():
            app.state.models = load_models(resolve_weights_list(settings.weights))
            app.state.admission = Admission(slots=settings.render_slots, queue=settings.render_queue)
            with drain_on_sigterm(app, drain_seconds=settings.drain_seconds):
                # Lifespan state: uvicorn hands it to each connection's protocol as well.
                yield {"connection_limits": ConnectionLimits.from_settings(settings)}
            app.state.models = None

    app = FastAPI(
        title="pixelgan",
        summary="Pixel-art grayscale faces from a small GAN, and photos pixelated the same way.",
        lifespan=lifespan,
    )
    app.state.models = None
    app.state.draining = False
    app.state.settings = settings
    app.add_middleware(AdmissionGate, state=app.state)  # innermost: after the body limit's 413
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_bytes, max_bodies=settings.bodies_at_once())
    install_error_handlers(app)
    app.add_middleware(HttpExtrasMiddleware)  # added last: outermost, so every answer gets its headers
    for module in (faces, morph, photos):
        app.include_router(module.router, dependencies=[EachParameterOnce])
    for module in (health, page):
        app.include_router(module.router)
    app.mount("/static", page.static_files(), name="static")
    return app
