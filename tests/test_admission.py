"""Admission control: renders at once and waiting are bounded per worker, the rest get 503
`overloaded` with Retry-After, health checks never wait, and a client that left is not rendered for."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pixelgan.app.admission import RENDER_PATHS, Admission, ClientGoneError, render_slot
from pixelgan.app.body_limit import BodyLimitMiddleware
from pixelgan.app.errors import ApiError
from pixelgan.app.main import create_app
from pixelgan.app.routes import faces, health, morph, page, photos
from pixelgan.app.settings import Settings

from tests.conftest import photo_bytes
from tests.servers import multipart_file, serving_in_thread


class FakeRequest:
    """Just `receive`: what `client_gone` reads."""

    def __init__(self, *messages: dict) -> None:
        self.messages = list(messages)

    async def receive(self) -> dict:
        if self.messages:
            return self.messages.pop(0)
        await asyncio.Event().wait()  # nothing more until the client does something
        return {}


CONNECTED = FakeRequest
GONE = {"type": "http.disconnect"}
GET_BODY = {"type": "http.request", "body": b"", "more_body": False}


def test_slots_then_queue_then_503_with_retry_after() -> None:
    async def scenario() -> tuple[list[str], ApiError]:
        admission = Admission(slots=1, queue=1)
        order: list[str] = []
        await admission.enter(CONNECTED())
        waiting = asyncio.create_task(admission.enter(CONNECTED(GET_BODY)))
        waiting.add_done_callback(lambda _: order.append("queued one admitted"))
        await asyncio.sleep(0)
        with pytest.raises(ApiError) as refused:  # (the timeout: a failure, not a hang, if it queues)
            await asyncio.wait_for(admission.enter(CONNECTED()), timeout=30)
        order.append("third refused")
        admission.leave()
        await waiting
        return order, refused.value

    order, refused = asyncio.run(scenario())
    assert order == ["third refused", "queued one admitted"]
    assert (refused.status, refused.code) == (503, "overloaded")
    assert "rendering 1 requests with 1 more waiting" in refused.detail
    assert int(refused.headers["Retry-After"]) >= 1


def test_a_client_gone_while_queued_gives_its_slot_to_the_next() -> None:
    async def scenario() -> bool:
        admission = Admission(slots=1, queue=2)
        await admission.enter(CONNECTED())
        gone = asyncio.create_task(admission.enter(FakeRequest(GET_BODY, GONE)))
        staying = asyncio.create_task(admission.enter(CONNECTED(GET_BODY)))
        await asyncio.sleep(0)
        admission.leave()
        with pytest.raises(ClientGoneError):
            await gone
        await asyncio.wait_for(staying, timeout=30)
        return staying.done()

    assert asyncio.run(scenario())


RENDERERS = {
    "/generate": (faces, "render_faces"),
    "/morph": (morph, "render_morph"),
    "/pixelate": (photos, "render_photo"),
}
REQUESTS: dict[str, Callable[[httpx.Client | TestClient], object]] = {
    "/generate": lambda client: client.get("/generate?seed=1"),
    "/grid": lambda client: client.get("/grid?seed=1&n=4"),
    "/morph": lambda client: client.get("/morph?from=1&to=2&frames=4"),
    "/pixelate": lambda client: client.post("/pixelate", files={"file": ("photo.png", photo_bytes())}),
}


@contextmanager
def blocking_renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event, list]]:
    """Every render waits for `release` once it has set `started`; `calls` lists them."""
    started, release, calls = threading.Event(), threading.Event(), []
    for module, name in RENDERERS.values():
        real = getattr(module, name)

        def blocked(*args, _real=real, **kwargs):
            calls.append(args)
            started.set()
            release.wait(timeout=60)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, blocked)
    try:
        yield started, release, calls
    finally:
        release.set()


@pytest.mark.parametrize("route", list(REQUESTS))
def test_full_worker_refuses_each_heavy_route_and_health_checks_still_answer(
    generator_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    settings = Settings(weights=generator_path, render_slots=1, render_queue=0)
    with (
        TestClient(create_app(settings)) as client,
        blocking_renders(monkeypatch) as (started, release, _),
    ):
        holder = threading.Thread(target=REQUESTS["/generate"], args=(client,))
        holder.start()
        assert started.wait(timeout=60)
        refused = REQUESTS[route](client)
        health, ready = client.get("/healthz"), client.get("/readyz")
        release.set()
        holder.join(timeout=60)
    assert refused.status_code == 503
    assert refused.json()["code"] == "overloaded"
    assert int(refused.headers["retry-after"]) >= 1
    assert (health.status_code, ready.status_code) == (200, 200)


def test_full_worker_refuses_an_upload_without_parsing_its_body(
    generator_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pixelgan.app import upload

    parsed: list[int] = []
    real_parse = upload.InMemoryMultiPartParser.parse

    async def counted_parse(self):
        parsed.append(1)
        return await real_parse(self)

    monkeypatch.setattr(upload.InMemoryMultiPartParser, "parse", counted_parse)
    settings = Settings(weights=generator_path, render_slots=1, render_queue=0)
    with TestClient(create_app(settings)) as client, blocking_renders(monkeypatch) as (started, release, _):
        holder = threading.Thread(target=REQUESTS["/generate"], args=(client,))
        holder.start()
        assert started.wait(timeout=60)
        refused = REQUESTS["/pixelate"](client)
        release.set()
        holder.join(timeout=60)
        accepted = REQUESTS["/pixelate"](client)
    assert refused.status_code == 503
    assert accepted.status_code == 200
    assert parsed == [1]  # the accepted upload's body alone


def test_bodies_held_at_once_are_bounded_and_others_are_refused_unread(generator_path: Path) -> None:
    app = create_app(Settings(weights=generator_path, max_bodies=1))
    body, content_type = multipart_file(photo_bytes((160, 120)), "image/png")
    with serving_in_thread(app) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as slow:
            head = f"POST /pixelate HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
            slow.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body[:100])
            wait_until(lambda: body_limit(app).bodies == 1)
            refused = httpx.post(url + "/pixelate", content=body, headers={"Content-Type": content_type}, timeout=60)
            face = httpx.get(url + "/generate?seed=1", timeout=60)  # no body: not counted
            slow.sendall(body[100:])
            answer = slow.recv(65536)
        accepted = httpx.post(url + "/pixelate", content=body, headers={"Content-Type": content_type}, timeout=60)
    assert (refused.status_code, refused.json()["code"]) == (503, "overloaded")
    assert "holding 1 request bodies" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) >= 1
    assert face.status_code == 200
    assert answer.startswith(b"HTTP/1.1 200")
    assert accepted.status_code == 200


def body_limit(app) -> BodyLimitMiddleware:
    """The app's running BodyLimitMiddleware (Starlette builds the middleware stack on first use)."""
    layer = app.middleware_stack
    while not isinstance(layer, BodyLimitMiddleware):
        layer = layer.app
    return layer


def test_the_gate_guards_exactly_the_routes_that_take_a_slot() -> None:
    routes = [route for module in (faces, morph, photos, health, page) for route in module.router.routes]
    with_slot = {
        route.path
        for route in routes
        if isinstance(route, APIRoute) and any(dep.call is render_slot for dep in route.dependant.dependencies)
    }
    assert with_slot == RENDER_PATHS


def test_request_whose_client_left_while_queued_is_not_rendered(
    generator_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(Settings(weights=generator_path, render_slots=1, render_queue=4))
    with serving_in_thread(app) as url, blocking_renders(monkeypatch) as (started, release, calls):
        holder = threading.Thread(target=httpx.get, args=(url + "/generate?seed=1",), kwargs={"timeout": 60})
        holder.start()
        assert started.wait(timeout=60)
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as leaving:
            leaving.sendall(b"GET /generate?seed=2 HTTP/1.1\r\nHost: x\r\n\r\n")
            wait_until(lambda: app.state.admission._waiting == 1)
        release.set()
        holder.join(timeout=60)
        assert httpx.get(url + "/generate?seed=3", timeout=60).status_code == 200
    seeds = [args[1] for args in calls]
    assert seeds == [1, 3]


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition never held")
        time.sleep(0.01)
