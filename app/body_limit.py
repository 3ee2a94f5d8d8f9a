"""Request-body limits, which neither Starlette nor uvicorn enforces on its own: the size of
one body, and how many bodies a worker holds at once.

    app.add_middleware(BodyLimitMiddleware, max_bytes=20 * 1024 * 1024, max_bodies=4)

A request whose `Content-Length` is over the limit is answered 413 before a byte of its
body is read. A request without one (chunked) is counted as it streams: once the count
passes the limit, the app is told the client left, and whatever it would have answered is
replaced by the same 413.

A request with a body holds it from its first byte until its answer is sent (an upload is
read whole, then waits for and takes a render slot). Without a bound on how many do so at
once, clients sending many bodies slowly could make a worker hold any number of them; past
`max_bodies` a request with a body is answered 503 `overloaded` with Retry-After before
its body is read.
"""

from __future__ import annotations

from pixelgan.app.errors import api_error_response, error_response, overloaded
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_bodies: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_bodies = max_bodies
        self.bodies = 0  # requests with a body between their head and their answer (one event loop)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        if not _has_body(scope, declared):
            await self.app(scope, receive, send)
            return
        if self.bodies >= self.max_bodies:
            # No "Connection: close": closing with the body unread would reset the connection
            # before the client reads this answer; uvicorn reads the rest of the body and drops
            # it (the size was checked above, the time is bounded).
            full = overloaded(
                f"the server is receiving or holding {self.bodies} request bodies, its most; try again in a moment"
            )
            await api_error_response(full)(scope, receive, send)
            return
        self.bodies += 1
        try:
            await self._limited(scope, receive, send)
        finally:
            self.bodies -= 1

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app, its body counted as it streams and cut off past `max_bytes` with the 413."""
        received = 0
        over_limit = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, over_limit
            if over_limit:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over_limit = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if over_limit:
                return  # the 413 below replaces whatever the app answers
            response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over_limit:
                raise
        if over_limit and not response_started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        too_large = error_response(
            413,
            "body_too_large",
            f"the request body is over the limit of {self.max_bytes} bytes ({self.max_bytes / 1024 / 1024:.3g} MiB)",
            # Tell the client the connection closes: the unread rest of its body is not wanted.
            {"Connection": "close"},
        )
        await too_large(scope, receive, send)


def _has_body(scope: Scope, declared: int | None) -> bool:
    """A declared length over 0, or a chunked body (HTTP/1.1's one other way to send one)."""
    if declared is not None:
        return declared > 0
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers", ()))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
