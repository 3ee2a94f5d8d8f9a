"""Admission control for the routes that render: a few at once per worker, a short queue, the rest refused.

    app.state.admission = Admission(slots=2, queue=4)      # in the lifespan, on the app's event loop
    def generate(..., slot: RenderSlot) -> Response:       # on every route that renders
    app.add_middleware(AdmissionGate, state=app.state)     # refuses those routes early when full

A render holds a slot from just before the route's function runs until it returns (not
while the response is sent). When every slot is taken, up to `queue` requests wait for one
on the event loop, holding no thread; one more is answered at once with 503 `overloaded`
and `Retry-After`, so a flood costs the worker a bounded amount of memory and time and the
requests it accepts still finish in a few renders' time. /healthz and /readyz take no slot.

A request that waited is checked for its client before it renders: if the client has gone
(uvicorn has seen the connection close), its slot passes on and nothing is rendered.

The slot is taken by a dependency, before FastAPI checks the query parameters: a request
with a bad parameter waits its turn like any other, and renders nothing. An upload is read
before its slot is taken (a slow upload holds no slot). When a request could not even
queue, `AdmissionGate` answers its 503 before FastAPI routes it, resolves its dependencies
or parses its body: under a flood most requests end there, and the event loop stays free
for the requests it accepts and for the health checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from pixelgan.app.errors import ApiError, api_error_response, overloaded
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send

# The paths of the routes that take a render slot (tests/test_admission.py holds them equal).
RENDER_PATHS = frozenset({"/generate", "/grid", "/morph", "/pixelate"})


class ClientGoneError(Exception):
    """The client closed its connection while its request waited for a slot."""


class Admission:
    """`slots` renders at once and `queue` waiting, on one event loop; the rest refused."""

    def __init__(self, *, slots: int, queue: int) -> None:
        self.slots = slots
        self.queue = queue
        self._free = asyncio.Semaphore(slots)
        self._waiting = 0

    def check_room(self) -> None:
        """ApiError 503 when every slot is taken and the queue is full: what `enter` would answer now."""
        if self._free.locked() and self._waiting >= self.queue:
            raise overloaded(
                f"the server is rendering {self.slots} requests with {self._waiting} more waiting, "
                "its most; try again in a moment"
            )

    async def enter(self, request: Request) -> None:
        """Take a slot, waiting in the queue if need be; ApiError 503 when the queue is full."""
        self.check_room()
        waited = self._free.locked()
        self._waiting += 1
        try:
            await self._free.acquire()
        finally:
            self._waiting -= 1
        if waited and await client_gone(request):
            self._free.release()
            raise ClientGoneError

    def leave(self) -> None:
        self._free.release()


async def client_gone(request: Request) -> bool:
    """True when the client has closed its connection; reads only messages already there.

    After the body, the next message uvicorn has for the app is `http.disconnect` once the
    connection closes; until then `receive` would wait, and is cancelled at once instead. A
    GET's one empty body message, unread by the route, is read and passed over here.
    """
    for _ in range(2):  # a GET's one empty body message comes first
        message: dict = {}
        with anyio.CancelScope() as scope:
            scope.cancel()
            message = await request.receive()
        kind = message.get("type")
        if kind == "http.disconnect":
            return True
        if kind != "http.request" or message.get("body") or message.get("more_body"):
            return False
    return False


async def render_slot(request: Request) -> AsyncIterator[None]:
    admission: Admission | None = getattr(request.app.state, "admission", None)
    if admission is None:  # made by the lifespan, with the model
        raise ApiError(503, "not_ready", "the model is still loading; try again in a moment")
    try:
        await admission.enter(request)
    except ClientGoneError:
        # Nobody will read this answer; 499 is what nginx logs for a client that left.
        raise ApiError(499, "client_closed_request", "the client closed the connection while it waited") from None
    try:
        yield
    finally:
        admission.leave()


RenderSlot = Annotated[None, Depends(render_slot, scope="function")]


class AdmissionGate:
    """ASGI middleware: the 503 `overloaded` for a request to a rendering route whose render
    could not even queue, before routing; every other request passes untouched."""

    def __init__(self, app: ASGIApp, *, state: State) -> None:
        self.app = app
        self.state = state  # the app's: `admission` appears on it in the lifespan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        admission: Admission | None = getattr(self.state, "admission", None)
        if scope["type"] == "http" and admission is not None and scope["path"] in RENDER_PATHS:
            try:
                admission.check_room()
            except ApiError as full:
                await api_error_response(full)(scope, receive, send)
                return
        await self.app(scope, receive, send)
