"""The gateway's broker socket: frames written in one loop turn leave as one write, in
order, and nothing gathered is left behind by drain, write_eof or close."""

from __future__ import annotations

import asyncio

import pytest

from gateway.rpc_transport import TurnCoalescingWriter

pytestmark = pytest.mark.anyio


class RecordingWriter:
    """What the transport was handed, write by write."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.events: list[str] = []
        self.closing = False
        self.transport = "the transport"

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))
        self.events.append("write")

    def is_closing(self) -> bool:
        return self.closing

    async def drain(self) -> None:
        self.events.append("drain")

    def write_eof(self) -> None:
        self.events.append("eof")

    def close(self) -> None:
        self.closing = True
        self.events.append("close")


async def next_turn() -> None:
    await asyncio.sleep(0)


async def test_writes_of_one_turn_reach_the_transport_as_one_in_order():
    inner = RecordingWriter()
    writer = TurnCoalescingWriter(inner, asyncio.get_running_loop())
    writer.write(b"one")
    writer.write(b"two")
    writer.write(b"three")
    assert inner.writes == []  # still this turn
    await next_turn()
    assert inner.writes == [b"onetwothree"]

    writer.write(b"four")
    await next_turn()
    assert inner.writes == [b"onetwothree", b"four"]


async def test_drain_hands_over_what_is_gathered_before_waiting():
    inner = RecordingWriter()
    writer = TurnCoalescingWriter(inner, asyncio.get_running_loop())
    writer.write(b"request")
    await writer.drain()
    assert inner.writes == [b"request"]
    assert inner.events == ["write", "drain"]
    await next_turn()  # the scheduled flush finds nothing left
    assert inner.writes == [b"request"]


async def test_close_and_write_eof_hand_over_the_last_frames_first():
    inner = RecordingWriter()
    writer = TurnCoalescingWriter(inner, asyncio.get_running_loop())
    writer.write(b"connection.close")
    writer.write_eof()
    writer.close()
    assert inner.writes == [b"connection.close"]
    assert inner.events == ["write", "eof", "close"]


async def test_frames_for_a_closed_socket_are_dropped_not_raised():
    inner = RecordingWriter()
    writer = TurnCoalescingWriter(inner, asyncio.get_running_loop())
    writer.write(b"late")
    inner.closing = True
    await next_turn()
    assert inner.writes == []
    assert writer.is_closing() is True  # the rest is the wrapped writer's
    assert writer.transport == "the transport"
