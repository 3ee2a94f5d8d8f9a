"""Graceful shutdown of a real `pixelgan serve` process: SIGTERM turns /readyz 503, lets the
request in flight finish, then the process exits and stops accepting connections."""

from __future__ import annotations

import http.client
import signal
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings

from tests.conftest import photo_bytes
from tests.helpers import free_port
from tests.servers import multipart_file, start_server, wait_ready


def readyz_until_not_ready(url: str, timeout: float = 30.0) -> httpx.Response:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        response = httpx.get(url + "/readyz", timeout=5)
        if response.status_code != 200:
            return response
        time.sleep(0.02)
    raise TimeoutError(f"{url}/readyz still answered 200 after {timeout} s")


def test_sigterm_drains_then_finishes_the_request_in_flight() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(port, environment={"PIXELGAN_DRAIN_SECONDS": "3"})
    try:
        wait_ready(url, timeout=120)
        body, content_type = multipart_file(photo_bytes((160, 120)), "image/png")
        # An upload whose body is half sent when SIGTERM comes: a request in flight.
        in_flight = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        in_flight.putrequest("POST", "/pixelate?boxes=20")
        in_flight.putheader("Content-Type", content_type)
        in_flight.putheader("Content-Length", str(len(body)))
        in_flight.endheaders()
        in_flight.send(body[: len(body) // 2])

        process.send_signal(signal.SIGTERM)
        draining = readyz_until_not_ready(url)
        assert (draining.status_code, draining.json()) == (503, {"status": "draining"})
        # Still serving while it drains: only readiness has changed.
        assert httpx.get(url + "/generate?seed=1", timeout=30).status_code == 200

        in_flight.send(body[len(body) // 2 :])
        response = in_flight.getresponse()
        assert response.status == 200
        assert response.read().startswith(b"\x89PNG")

        process.wait(timeout=60)
        with pytest.raises(httpx.ConnectError):
            httpx.get(url + "/healthz", timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_readyz_is_503_while_draining(post_generator_path) -> None:
    app = create_app(Settings(weights=post_generator_path))
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        app.state.draining = True
        response = client.get("/readyz")
    assert (response.status_code, response.json()) == (503, {"status": "draining"})
