"""Start `pixelgan serve` on a free loopback port for a benchmark, stop it after, and build uploads.

with running_server(weights=None, workers=1) as (base_url, process):
    ...
body, content_type = multipart_file(jpeg_bytes, "image/jpeg")   # an upload for /pixelate
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path


def multipart_file(data: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart/form-data body holding `data` as the form field "file", and its Content-Type."""
    boundary = uuid.uuid4().hex
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\n'
    body = (head + f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


@contextlib.contextmanager
def running_server(
    *, weights: Path | None = None, workers: int = 1, ready_timeout: float = 30.0
) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    command = [sys.executable, "-m", "pixelgan.cli", "serve", "--port", str(port), "--workers", str(workers)]
    if weights:
        command += ["--weights", str(weights)]
    environment = os.environ | {"PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url, ready_timeout)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=10)
