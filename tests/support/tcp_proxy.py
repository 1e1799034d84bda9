"""A TCP proxy in front of RabbitMQ that a test can cut and restore, in a process of its own.

Everything that connects through it loses its broker on ``cut()`` exactly as if the broker
had died: every open connection is reset (RST, on both sides, so RabbitMQ forgets the
consumers at once and requeues what they had not acked) and new connections are refused
(the listening socket is closed). ``restore()`` listens again on the same port. Processes
that connect to 127.0.0.1:5672 directly are not affected.

Test side::

    with TcpProxy() as proxy:          # starts the proxy process
        env["AMQP_URI"] = proxy.amqp_uri
        ...
        proxy.cut(); ...; proxy.restore()

The proxy process (``python -m tests.support.tcp_proxy --port P``) takes one command per
line on stdin (``cut``, ``restore``, ``quit``) and answers each with a line on stdout
(``ok <open connections>``), so a command has taken effect when its call returns.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

from tests.support.broker import amqp_uri_via
from tests.support.ports import free_port

TARGET_HOST = "127.0.0.1"
TARGET_PORT = 5672
_REPO_ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- proxy process


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST, not FIN: the peer sees a dead link, not a polite goodbye."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


class _Proxy:
    def __init__(self, port: int, target: tuple[str, int]):
        self.port = port
        self.target = target
        self.server: asyncio.base_events.Server | None = None
        self.pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()

    async def listen(self) -> None:
        if self.server is None:
            self.server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True,
            )

    async def cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        pairs, self.pairs = self.pairs, set()
        for client, upstream in pairs:
            _reset(client)
            _reset(upstream)
        await asyncio.sleep(0)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _reset(writer)
            return
        pair = (writer, up_writer)
        self.pairs.add(pair)
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer),
                                 return_exceptions=True)
        except asyncio.CancelledError:
            pass  # the proxy is shutting down; the finally below resets both sides
        finally:
            self.pairs.discard(pair)
            _reset(writer)
            _reset(up_writer)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()


async def _serve(port: int, target: tuple[str, int]) -> None:
    proxy = _Proxy(port, target)
    await proxy.listen()
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    print(f"listening {port}", flush=True)
    while line := await commands.readline():
        command = line.decode().strip()
        if command == "cut":
            await proxy.cut()
        elif command == "restore":
            await proxy.listen()
        elif command == "quit":
            break
        else:
            print(f"error unknown command {command!r}", flush=True)
            continue
        print(f"ok {len(proxy.pairs)}", flush=True)
    await proxy.cut()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--target-host", default=TARGET_HOST)
    parser.add_argument("--target-port", type=int, default=TARGET_PORT)
    args = parser.parse_args()
    asyncio.run(_serve(args.port, (args.target_host, args.target_port)))


# --------------------------------------------------------------------------- test side


class TcpProxy:
    """Runs and commands the proxy process."""

    def __init__(self, target: tuple[str, int] = (TARGET_HOST, TARGET_PORT)):
        self.target = target
        self.port = free_port()
        self._proc: subprocess.Popen | None = None

    @property
    def amqp_uri(self) -> str:
        return amqp_uri_via(self.port)

    def start(self) -> TcpProxy:
        env = dict(os.environ, PYTHONPATH=str(_REPO_ROOT), PYTHONUNBUFFERED="1")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.tcp_proxy", "--port", str(self.port),
             "--target-host", self.target[0], "--target-port", str(self.target[1])],
            cwd=_REPO_ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, start_new_session=True,
        )
        line = self._proc.stdout.readline()
        if not line.startswith("listening"):
            self.close()
            raise RuntimeError(f"the TCP proxy did not start: {line!r}")
        return self

    def _command(self, command: str) -> int:
        assert self._proc is not None and self._proc.poll() is None, "the proxy is not running"
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline().split()
        if not answer or answer[0] != "ok":
            raise RuntimeError(f"the TCP proxy refused {command!r}: {answer}")
        return int(answer[1])

    def cut(self) -> None:
        """Reset every connection through the proxy and refuse new ones."""
        self._command("cut")

    def restore(self) -> None:
        """Accept connections again, on the same port."""
        self._command("restore")

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                proc.stdin.write("quit\n")
                proc.stdin.flush()
                proc.wait(timeout=3)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait(timeout=5)
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()


if __name__ == "__main__":
    main()
