"""Graceful shutdown: on SIGTERM, /readyz answers 503 first, then uvicorn stops as usual.

    with drain_on_sigterm(app, drain_seconds=2.0):   # inside the lifespan, around `yield`
        yield

uvicorn already handles SIGTERM well: it stops accepting connections, lets the requests in
flight finish, runs the lifespan's shutdown and exits. What it lacks is a step before that
in which the process still serves but says it is going: `app.state.draining` turns True at
once (so /readyz answers 503), and uvicorn's own handler runs `drain_seconds` later, time
for a load balancer that polls /readyz to take the replica out. Kubernetes' preStop pause
(deploy/k8s/) plays that part there, so the default is 0. A second SIGTERM stops at once.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from fastapi import FastAPI


@contextlib.contextmanager
def drain_on_sigterm(app: FastAPI, *, drain_seconds: float) -> Iterator[None]:
    app.state.draining = False
    # Signal handlers belong to the main thread: uvicorn's is there; a TestClient's lifespan
    # runs in another thread, where there is no signal to take over.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stop_server = signal.getsignal(signal.SIGTERM)

    def on_sigterm(sig: int, frame: FrameType | None) -> None:
        first = not app.state.draining
        app.state.draining = True
        if first and drain_seconds > 0 and callable(stop_server):
            # uvicorn's handler only sets flags its main loop polls, so a timer thread may call it.
            timer = threading.Timer(drain_seconds, stop_server, (sig, frame))
            timer.daemon = True
            timer.start()
        else:
            _pass_on(stop_server, sig, frame)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, stop_server)


def _pass_on(handler: object, sig: int, frame: FrameType | None) -> None:
    if callable(handler):
        handler(sig, frame)
    elif handler == signal.SIG_DFL:
        signal.signal(sig, signal.SIG_DFL)
        signal.raise_signal(sig)
