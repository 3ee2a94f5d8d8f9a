"""uvicorn's HTTP protocol with limits on what one connection may cost before the app sees it.

    uvicorn.run(..., http="pixelgan.app.guarded_protocol:GuardedHTTPProtocol")   # `pixelgan serve`

uvicorn (httptools) waits forever for a request's head, keeps any number of header bytes
(a 200 MB header cost about 45 s of CPU) and any URL length, and lets an upload trickle in
at a byte a second. Here, per request, before the bytes reach the parser:

- the head (request line and headers) must arrive within `header_timeout` seconds of the
  connection opening or its first byte: else the connection is closed (408 JSON if some
  of it came), so a connection that sends nothing is closed too (slowloris);
- a request line over `max_url_bytes` is answered 414 `uri_too_long`, a head over
  `max_header_bytes` 431 `header_too_large`, both JSON and closed, without parsing further;
- the body must arrive within `body_timeout` seconds of the head: else 408 and closed;
- a request httptools cannot parse is answered 400 `bad_request` in JSON, not plain text.

Idle keep-alive connections are closed by uvicorn's own `timeout_keep_alive`. The limits
come from the app's settings, which its lifespan hands to uvicorn as lifespan state
(`app.main`), or a subclass's `limits` in tests.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import ClassVar

from pixelgan.app.http_protocol import OneSendHTTPProtocol
from pixelgan.app.settings import Settings


@dataclass(frozen=True)
class ConnectionLimits:
    header_timeout: float
    body_timeout: float
    max_header_bytes: int
    max_url_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ConnectionLimits:
        return cls(
            header_timeout=settings.header_timeout_seconds,
            body_timeout=settings.body_timeout_seconds,
            max_header_bytes=settings.max_header_bytes,
            max_url_bytes=settings.max_url_bytes,
        )


# Without the app's lifespan (uvicorn --lifespan off): the settings' defaults.
DEFAULT_LIMITS = ConnectionLimits.from_settings(Settings.model_construct())  # defaults, no environment


def json_error_bytes(status: int, reason: str, code: str, detail: str) -> bytes:
    """A whole HTTP/1.1 response in the service's JSON error shape, closing the connection."""
    body = json.dumps({"code": code, "detail": detail}).encode()  # as app.errors writes it
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class GuardedHTTPProtocol(OneSendHTTPProtocol):
    """`OneSendHTTPProtocol` with a deadline and a size limit on each head, and a body deadline."""

    limits: ClassVar[ConnectionLimits | None] = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limits = type(self).limits or self.app_state.get("connection_limits") or DEFAULT_LIMITS
        self._deadline: asyncio.TimerHandle | None = None
        self._in_head = True
        self._head_bytes = 0
        self._line_bytes = 0  # of the request line, until its newline comes
        self._line_done = False
        self._tail = b""

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self._start_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head and not self._head_within_limits(data):
            return
        super().data_received(data)

    def _head_within_limits(self, data: bytes) -> bool:
        # Only the head's bytes count: the body often comes in the same chunk.
        window = self._tail + data
        end = window.find(b"\r\n\r\n")
        self._head_bytes += len(data) if end < 0 else max(0, end + 4 - len(self._tail))
        self._tail = window[-3:]
        if not self._line_done:
            newline = data.find(b"\n")
            self._line_done = newline >= 0
            self._line_bytes += newline if newline >= 0 else len(data)
        if self._line_bytes > self._limits.max_url_bytes:
            self._refuse(414, "URI Too Long", "uri_too_long", f"the URL is over {self._limits.max_url_bytes} bytes")
            return False
        if self._head_bytes > self._limits.max_header_bytes:
            detail = f"the request's headers are over {self._limits.max_header_bytes} bytes"
            self._refuse(431, "Request Header Fields Too Large", "header_too_large", detail)
            return False
        return True

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to bytes httptools cannot parse (raw non-UTF-8 in the URL), as JSON."""
        self._refuse(400, "Bad Request", "bad_request", f"the request is not valid HTTP/1.1: {msg}")

    # httptools' callbacks: a message begins at its first byte, its head ends before the body.
    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._in_head:
            self._start_head()

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_deadline()
        self._deadline = self.loop.call_later(self._limits.body_timeout, self._body_too_slow)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_deadline()
        super().on_message_complete()

    def _start_head(self) -> None:
        self._in_head, self._head_bytes, self._line_bytes, self._line_done = True, 0, 0, False
        self._tail = b""  # the last bytes seen, for a head's end split across chunks
        self._cancel_deadline()
        self._deadline = self.loop.call_later(self._limits.header_timeout, self._head_too_slow)

    def _head_too_slow(self) -> None:
        if self._head_bytes == 0:  # nothing said: nobody to answer
            self.transport.close()
            return
        detail = f"the request's headers did not arrive within {self._limits.header_timeout:g} s"
        self._refuse(408, "Request Timeout", "request_timeout", detail)

    def _body_too_slow(self) -> None:
        detail = f"the request's body did not arrive within {self._limits.body_timeout:g} s"
        if self.cycle is not None and self.cycle.response_started:
            self.transport.close()
            return
        self._refuse(408, "Request Timeout", "request_timeout", detail)

    def _refuse(self, status: int, reason: str, code: str, detail: str) -> None:
        self._cancel_deadline()
        if self.cycle is not None:  # the app, if it waits for the body, sees the client gone
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        if not self.transport.is_closing():
            self.transport.write(json_error_bytes(status, reason, code, detail))
            self.transport.close()

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
