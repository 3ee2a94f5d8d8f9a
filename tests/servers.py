"""Real servers for tests and benchmarks: `pixelgan serve` on a free loopback port, in-process uvicorn, uploads.

with running_server(weights=None, workers=1) as (base_url, process):
    ...
with serving_in_thread(create_app(settings)) as base_url:         # the same app, in this process
    ...
body, content_type = multipart_file(jpeg_bytes, "image/jpeg")   # an upload for /pixelate
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import uvicorn

from tests.helpers import free_port


def multipart_file(data: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart/form-data body holding `data` as the form field "file", and its Content-Type."""
    boundary = uuid.uuid4().hex
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\n'
    body = (head + f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def wait_ready(base_url: str, timeout: float = 30.0) -> float:
    """Poll /readyz until it answers 200; returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(base_url + "/readyz", timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.01)
    raise TimeoutError(f"{base_url} was not ready after {timeout} s")


def start_server(
    port: int,
    *,
    weights: str | Path | None = None,
    workers: int = 1,
    environment: dict[str, str] | None = None,
    log: Path | None = None,
) -> subprocess.Popen:
    """Start `pixelgan serve` on a loopback port and return at once (see `wait_ready`); its
    output is appended to `log`, or dropped."""
    command = [sys.executable, "-m", "pixelgan.cli", "serve", "--port", str(port), "--workers", str(workers)]
    if weights:
        command += ["--weights", str(weights)]
    environment = os.environ | {"PYTHONUNBUFFERED": "1"} | (environment or {})
    if log is None:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=environment)


@contextlib.contextmanager
def running_server(
    *, weights: str | Path | None = None, workers: int = 1, ready_timeout: float = 30.0
) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    process = start_server(port, weights=weights, workers=workers)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url, ready_timeout)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still finishing queued requests after a heavy load
            process.kill()
            process.wait()


@contextlib.contextmanager
def serving_in_thread(app: object, *, ready_timeout: float = 300.0, **uvicorn_options: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread of this process on a free port; yields its base URL.

    No new interpreter to start and no polling: ready once uvicorn has run the app's lifespan
    (the model loaded) and bound the port, which keeps the wait short on a busy machine.
    """
    options = {"host": "127.0.0.1", "port": free_port(), "log_level": "warning", "lifespan": "on"} | uvicorn_options
    config = uvicorn.Config(app, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + ready_timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server thread stopped before it was ready (see its log above)")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server was not ready after {ready_timeout} s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
