"""A request-body size limit, which neither Starlette nor uvicorn enforces on its own.

    app.add_middleware(BodyLimitMiddleware, max_bytes=20 * 1024 * 1024)

A request whose `Content-Length` is over the limit is answered 413 before a byte of its
body is read. A request without one (chunked) is counted as it streams: once the count
passes the limit, the app is told the client left, and whatever it would have answered is
replaced by the same 413.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return

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
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "code": "body_too_large",
                "detail": f"the request body is over the limit of {self.max_bytes} bytes "
                f"({self.max_bytes / 1024 / 1024:.3g} MiB)",
            }
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        # Tell the client the connection closes: the unread rest of its body is not wanted.
        headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
