"""`pixelgan serve`: check the generator files, then run uvicorn with N workers.

    serve(weights="weights/celebrity-face", host=None, port=8080, workers=None)

The files are loaded once here before uvicorn starts, so a missing or damaged file stops the
command with a one-line error instead of a server that answers 500s. With one worker (the
default, and the deploy files' setting) uvicorn then runs in this process on an app built
from these very settings. Several workers are new processes that build the app from their
environment (`create_app()` reads `Settings()`), so this process is replaced by a small
program that runs uvicorn (`os.execve`: the same PID, so a container's stop signal reaches
uvicorn) with the command's flags as `PIXELGAN_*` variables of its environment; this
process's own `os.environ` is never changed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import partial

import uvicorn
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings
from pixelgan.model.errors import GeneratorFileError
from pixelgan.model.generator_file import load_generator_file
from pixelgan.model.shipped import resolve_weights_list

APP_FACTORY = "pixelgan.app.main:create_app"  # what each of several workers imports

# `python -c` puts the working directory ('') first on sys.path, where a checkout's own
# `pixelgan/` folder would hide the installed package: the new program drops that entry
# (and only that: with PYTHONSAFEPATH set there is none).
RUN_UVICORN = (
    "import sys; sys.path = [entry for entry in sys.path if entry]; "
    "from pixelgan.app.server import run_uvicorn; run_uvicorn()"
)


def serve(*, weights: str | None, host: str | None, port: int | None, workers: int | None) -> int:
    """Check the files, then run the service until stopped; returns 2 when a file is bad."""
    flags = {"weights": weights, "host": host, "port": port, "workers": workers}
    given = {name: value for name, value in flags.items() if value is not None}
    settings = Settings(**given)
    try:
        paths = resolve_weights_list(settings.weights)
        model_ids = [load_generator_file(path).model_id for path in paths]
    except GeneratorFileError as error:
        print(f"pixelgan serve: error: {error}", file=sys.stderr)
        return 2
    for model_id, path in zip(model_ids, paths, strict=True):
        print(f"pixelgan: serving model {model_id} from {path}", file=sys.stderr)
    if settings.workers == 1:
        run_uvicorn(settings, partial(create_app, settings))
        return 0
    environment = os.environ | {f"PIXELGAN_{name.upper()}": str(value) for name, value in given.items()}
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-c", RUN_UVICORN], environment)
    return 0  # not reached: execve returns only by raising


def run_uvicorn(settings: Settings | None = None, app: Callable[[], object] | str = APP_FACTORY) -> None:
    """uvicorn in this process, serving the app `app` makes (by default `create_app` with the
    environment's settings, as each worker process builds it)."""
    settings = settings or Settings()
    uvicorn.run(
        app,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="info",
        **server_limits(settings),
    )


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
