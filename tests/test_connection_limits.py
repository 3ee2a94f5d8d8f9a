"""Each connection's head and body are bounded in time and size before the app sees them
(app.guarded_protocol), over real sockets to uvicorn in a thread."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest
from pixelgan.app.guarded_protocol import ConnectionLimits, GuardedHTTPProtocol
from pixelgan.app.main import create_app
from pixelgan.app.server import server_limits
from pixelgan.app.settings import Settings

from tests.servers import serving_in_thread

LIMITS = ConnectionLimits(header_timeout=0.5, body_timeout=0.5, max_header_bytes=4096, max_url_bytes=1024)


class QuickLimits(GuardedHTTPProtocol):
    limits = LIMITS


async def echo_length(scope: dict, receive, send) -> None:
    """Reads the whole body and answers its length: the app that limits are tested in front of."""
    if scope["type"] != "http":
        return
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        size, more = size + len(message.get("body", b"")), message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(str(size)))]})
    await send({"type": "http.response.body", "body": str(size).encode()})


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    with serving_in_thread(echo_length, http=QuickLimits, lifespan="off") as url:
        host, port = url.removeprefix("http://").split(":")
        yield host, int(port)


def exchange(address: tuple[str, int], *parts: bytes, pause: float = 0.0) -> bytes:
    """Send `parts` with `pause` seconds between them; everything read until the server closes."""
    with socket.create_connection(address, timeout=30) as connection:
        for part in parts:
            try:
                connection.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(pause)
        received = b""
        try:
            while chunk := connection.recv(65536):  # a socket.timeout here: the server never closed
                received += chunk
        except ConnectionResetError:  # closed with bytes of ours unread
            pass
        return received


def status_and_body(response: bytes) -> tuple[int, dict]:
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_a_connection_that_sends_nothing_is_closed(address) -> None:
    assert exchange(address) == b""


def test_a_trickled_head_gets_408_and_is_closed(address) -> None:
    status, body = status_and_body(exchange(address, b"GET / HTTP/1.1\r\n", b"Host: x\r\n", b"X-A: 1\r\n", pause=0.4))
    assert (status, body["code"]) == (408, "request_timeout")


def test_a_long_url_gets_414_json(address) -> None:
    status, body = status_and_body(exchange(address, b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert (status, body["code"]) == (414, "uri_too_long")
    assert "1024 bytes" in body["detail"]


def test_a_large_header_gets_431_json(address) -> None:
    status, body = status_and_body(exchange(address, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 10_000))
    assert (status, body["code"]) == (431, "header_too_large")


def test_a_200_mb_header_is_cut_off_at_the_limit(address) -> None:
    response = exchange(address, b"GET / HTTP/1.1\r\nHost: x\r\n", *[b"X-Big: " + b"b" * 1_000_000] * 200)
    assert response == b"" or status_and_body(response)[0] == 431


def test_a_trickled_body_gets_408(address) -> None:
    head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
    status, body = status_and_body(exchange(address, head, b"a" * 10, b"a" * 10, b"a" * 10, pause=0.3))
    assert (status, body["code"]) == (408, "request_timeout")


def test_requests_within_the_limits_are_served_on_one_connection(address) -> None:
    request = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
    response = exchange(address, request, request + b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert response.count(b"HTTP/1.1 200 OK") == 3
    assert response.endswith(b"\r\n\r\n0")


def test_a_body_larger_than_the_head_limit_is_not_counted_as_head(address) -> None:
    body = b"a" * 200_000
    request = b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body)
    response = exchange(address, request + body)
    assert response.startswith(b"HTTP/1.1 200") and response.endswith(b"200000")


def test_serve_passes_the_limits_to_uvicorn() -> None:
    options = server_limits(Settings(max_connections=7, keep_alive_seconds=3, graceful_shutdown_seconds=9))
    assert options["http"] == "pixelgan.app.guarded_protocol:GuardedHTTPProtocol"
    assert (options["limit_concurrency"], options["timeout_keep_alive"]) == (7, 3)
    assert options["timeout_graceful_shutdown"] == 9
    assert options["server_header"] is False


def test_raw_non_utf8_bytes_in_the_url_get_400_json(address) -> None:
    status, body = status_and_body(exchange(address, b"GET /generate?seed=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert (status, body["code"]) == (400, "bad_request")


def test_the_apps_settings_reach_the_protocol(generator_path) -> None:
    app = create_app(Settings(weights=generator_path, max_url_bytes=300))
    with serving_in_thread(app, http=GuardedHTTPProtocol) as url:
        host, port = url.removeprefix("http://").split(":")
        response = exchange((host, int(port)), b"GET /" + b"a" * 1000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    status, body = status_and_body(response)
    assert (status, body["code"]) == (414, "uri_too_long")
    assert "300 bytes" in body["detail"]
