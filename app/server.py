"""`pixelgan serve`: check the generator files, then run uvicorn with N workers.

The files are loaded once here before uvicorn starts, so a missing or damaged file stops the
command with a one-line error instead of a server that answers 500s; each worker then loads
them again in its own lifespan.
"""

from __future__ import annotations

import os
import sys

import uvicorn
from pixelgan.app.settings import Settings
from pixelgan.model.errors import GeneratorFileError
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.shipped import resolve_weights_list


def serve(*, weights: str | None, host: str | None, port: int | None, workers: int | None) -> int:
    """Run the service until interrupted; returns the exit status."""
    # Workers are new processes that read their settings from the environment.
    for name, value in (("WEIGHTS", weights), ("HOST", host), ("PORT", port), ("WORKERS", workers)):
        if value is not None:
            os.environ[f"PIXELGAN_{name}"] = str(value)
    settings = Settings()
    try:
        paths = resolve_weights_list(settings.weights)
        model_ids = [load_generator_file(path).model_id for path in paths]
    except GeneratorFileError as error:
        print(f"pixelgan serve: error: {error}", file=sys.stderr)
        return 2
    for model_id, path in zip(model_ids, paths, strict=True):
        print(f"pixelgan: serving model {model_id} from {path}", file=sys.stderr)
    uvicorn.run(
        "pixelgan.app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="info",
        **server_limits(settings),
    )
    return 0


def server_limits(settings: Settings) -> dict:
    """uvicorn's arguments that bound what clients may hold: connections, time, header bytes."""
    return {
        # Head and body in one send, so a replica killed mid-response leaves nothing half-sent,
        # and limits on each request's head and body (app.guarded_protocol).
        "http": "pixelgan.app.guarded_protocol:GuardedHTTPProtocol",
        "timeout_keep_alive": settings.keep_alive_seconds,
        # Past it uvicorn answers 503 at once, before file descriptors run out (slowloris).
        "limit_concurrency": settings.max_connections,
        "timeout_graceful_shutdown": settings.graceful_shutdown_seconds,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "server_header": False,
    }
