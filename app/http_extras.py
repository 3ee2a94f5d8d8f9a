"""HEAD and OPTIONS on every route, and the security headers on every response.

    app.add_middleware(HttpExtrasMiddleware)      # outermost, so errors get the headers too

FastAPI answers 405 to `HEAD` and `OPTIONS` on routes declared for GET. Here `HEAD` runs
the GET and sends its status and headers (Content-Length included) without the body, and
`OPTIONS` answers 204 with `Allow`: the methods of the routes that match the path (404 JSON
when none does). Every response gets `X-Content-Type-Options: nosniff` and a
`Referrer-Policy`; an HTML one without its own Content-Security-Policy (/static/index.html)
gets the page's, whose `frame-ancestors 'none'` keeps it out of other sites' frames.
"""

from __future__ import annotations

from pixelgan.app.errors import error_response
from pixelgan.app.routes.page import CONTENT_SECURITY_POLICY
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    # Share links carry seeds in the query string; other sites see only the origin.
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


class HttpExtrasMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        send = with_security_headers(send, head_only=method == "HEAD")
        if method == "OPTIONS":
            await self.options(scope, receive, send)
        elif method == "HEAD":
            await self.app(dict(scope, method="GET"), receive, send)
        else:
            await self.app(scope, receive, send)

    async def options(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Each method tried in turn: routes nest (included routers, mounts), and a full match
        # is the one answer every kind of route gives the same way.
        routes = scope["app"].routes  # the FastAPI app's, set by Starlette before middleware
        methods = {
            method
            for method in PROBED_METHODS
            if any(route.matches(dict(scope, method=method))[0] == Match.FULL for route in routes)
        }
        if not methods:
            await error_response(404, "not_found", "Not Found")(scope, receive, send)
            return
        allow = ", ".join(sorted(methods | {"HEAD", "OPTIONS"} if "GET" in methods else methods | {"OPTIONS"}))
        await send({"type": "http.response.start", "status": 204, "headers": [(b"allow", allow.encode())]})
        await send({"type": "http.response.body", "body": b""})


def with_security_headers(send: Send, *, head_only: bool) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            headers += [(name, value) for name, value in SECURITY_HEADERS if name not in names]
            html = any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)
            if html and b"content-security-policy" not in names:
                headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
            message = dict(message, headers=headers)
        elif message["type"] == "http.response.body" and head_only:
            if message.get("more_body", False):
                return  # the rest of HEAD's nothing comes with the last message
            message = dict(message, body=b"")
        await send(message)

    return sending
