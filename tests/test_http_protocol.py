"""The one-send transport under `pixelgan serve`: a turn's writes leave in one piece, in order."""

from __future__ import annotations

import asyncio

from pixelgan.app.http_protocol import OneSendTransport


class RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"


def test_writes_of_one_turn_leave_as_one_send() -> None:
    async def respond() -> list[bytes]:
        inner = RecordingTransport()
        transport = OneSendTransport(inner)
        transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
        transport.writelines([b"body ", b"bytes"])
        assert inner.writes == []  # nothing leaves before the turn ends
        await asyncio.sleep(0)
        transport.write(b"next response")
        await asyncio.sleep(0)
        return inner.writes

    assert asyncio.run(respond()) == [b"HTTP/1.1 200 OK\r\n\r\nbody bytes", b"next response"]


def test_close_sends_what_is_pending_and_abort_drops_it() -> None:
    async def close_then_abort() -> tuple[RecordingTransport, RecordingTransport]:
        closed, aborted = RecordingTransport(), RecordingTransport()
        closing = OneSendTransport(closed)
        closing.write(b"last words")
        closing.close()
        dropping = OneSendTransport(aborted)
        dropping.write(b"never sent")
        dropping.abort()
        await asyncio.sleep(0)
        return closed, aborted

    closed, aborted = asyncio.run(close_then_abort())
    assert closed.writes == [b"last words"] and closed.closed
    assert aborted.writes == [] and aborted.aborted


def test_other_transport_calls_pass_through() -> None:
    assert OneSendTransport(RecordingTransport()).get_extra_info("peername") == "info peername"
