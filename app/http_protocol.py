"""uvicorn's HTTP protocol, writing a response's head and body to the socket in one send.

    uvicorn.run(..., http="pixelgan.app.http_protocol:OneSendHTTPProtocol")    # as `pixelgan serve` does

uvicorn writes the status line and headers as soon as the app starts its response, and the
body in a second send. Between the two, another thread can hold the GIL for milliseconds
(the threadpool's routes), and a replica killed in that gap leaves a proxy holding headers
with no body: too late for nginx to retry on another replica (it has already passed the
headers on), so the client gets a truncated response. tests/test_deploy.py met this about
once per killed replica. Here every write the protocol makes in one turn of the event loop
is held and sent at the end of that turn, so a response that the app sends in one go (all
of this service's) reaches the socket whole or not at all.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol


class OneSendTransport:
    """A transport that gathers the writes of one event-loop turn and sends them together."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            asyncio.get_running_loop().call_soon(self._flush)
        self._pending.append(bytes(data))

    def writelines(self, chunks: list[bytes]) -> None:
        for chunk in chunks:
            self.write(chunk)

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def _flush(self) -> None:
        if self._pending and not self._transport.is_closing():
            self._transport.write(b"".join(self._pending))
        self._pending.clear()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class OneSendHTTPProtocol(AutoHTTPProtocol):
    """uvicorn's own protocol (httptools, or h11 without it) over a `OneSendTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(OneSendTransport(transport))
