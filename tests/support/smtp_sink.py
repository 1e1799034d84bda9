"""An SMTP server on loopback (asyncio) that keeps what it receives and counts each
delivery once per (Message-ID, recipient), plus the raw repeats it saw.

One transaction may carry many recipients (RCPT TO) of one identical message; each
recipient is a delivery. The sink must cost less than the sender it measures: on
receipt it only finds the Message-ID in the header block and keeps the raw bytes of
first arrivals in memory; messages are parsed when a test asks for them.

Run as its own process (``SmtpSink().start()``, or ``python -m tests.support.smtp_sink
--port N --stats-port M``): it runs on asyncio, the service tests run under eventlet.
``GET /_stats`` on the stats port: raw deliveries, unique (Message-ID, recipient),
duplicates, transactions, sessions;
``GET /_messages``: the unique deliveries (to, subject, Message-ID, body) in order;
``POST /_control {"refuse": ["addr"], "code": 550}`` refuses those recipients;
``POST /_control {"reset": true}`` forgets everything received (a fresh count).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.sink_process import SinkProcess

# \s* also crosses a folded line ("Message-ID:\r\n <id>").
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
# A line of content starting with a dot had one more put before it (RFC 5321 4.5.2).
_DOT_STUFFED = re.compile(rb"^\.", re.MULTILINE)


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.refuse: set[str] = set()
        self.refuse_code = 550
        self.reset()

    def reset(self) -> None:
        # (Message-ID, recipient) -> raw message bytes, in order of first arrival
        self.deliveries: dict[tuple[str, str], bytes] = {}
        self.raw = 0
        self.duplicates = 0
        self.transactions = 0
        self.sessions = 0

    def parsed(self) -> list[dict]:
        found = []
        for (message_id, recipient), content in self.deliveries.items():
            parsed = message_from_bytes(content, policy=policy.default)
            body = parsed.get_body(("plain",))
            found.append({"message_id": message_id, "to": [recipient],
                          "subject": str(parsed.get("Subject", "")),
                          "language": str(parsed.get("Content-Language", "")),
                          "body": body.get_content() if body is not None else ""})
        return found


class _Session(asyncio.Protocol):
    """One SMTP session: the commands a sender needs (EHLO/HELO, MAIL, RCPT, DATA, RSET,
    NOOP, QUIT), PIPELINING (RFC 2920) advertised and honoured.

    Written on ``asyncio.Protocol`` rather than a full server library: everything that
    arrived in one read is handled at once and answered in one write, and a message's
    content is cut at its final dot without reading it line by line. A loopback sink
    must cost less than the sender it measures; aiosmtpd's per-line coroutines made the
    sink use about 0.3 ms of CPU per message, as much as the sender."""

    def __init__(self, state: _State):
        self.state = state
        self.buffer = b""
        self.in_data = False
        self.sender: str | None = None
        self.recipients: list[str] = []

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 127.0.0.1 test SMTP sink\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies: list[bytes] = []
        while self.buffer:
            if self.in_data:
                if self.buffer.startswith(b".\r\n"):
                    end, content = 3, b""
                else:
                    found = self.buffer.find(b"\r\n.\r\n")
                    if found < 0:
                        break
                    end, content = found + 5, self.buffer[:found + 2]
                self.buffer = self.buffer[end:]
                self.in_data = False
                replies.append(self._message(_DOT_STUFFED.sub(b"", content)))
                continue
            found = self.buffer.find(b"\r\n")
            if found < 0:
                break
            line, self.buffer = self.buffer[:found], self.buffer[found + 2:]
            reply = self._command(line.decode("utf-8", errors="replace"))
            replies.append(reply)
            if reply.startswith(b"221"):
                break
        if replies:
            self.transport.write(b"".join(replies))
            if replies[-1].startswith(b"221"):
                self.transport.close()

    def _command(self, line: str) -> bytes:
        verb, _, argument = line.partition(" ")
        verb = verb.upper()
        if verb == "EHLO":
            with self.state.lock:
                self.state.sessions += 1
            self._reset()
            return (b"250-127.0.0.1\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                    b"250 SIZE 10485760\r\n")
        if verb == "HELO":
            with self.state.lock:
                self.state.sessions += 1
            self._reset()
            return b"250 127.0.0.1\r\n"
        if verb == "MAIL":
            self._reset()
            self.sender = _address(argument)
            return b"250 OK\r\n"
        if verb == "RCPT":
            if self.sender is None:
                return b"503 5.5.1 Error: need MAIL command\r\n"
            address = _address(argument)
            with self.state.lock:
                if address.lower() in self.state.refuse:
                    code = self.state.refuse_code
                    return (f"{code} {'5.1.1' if code >= 500 else '4.2.0'} refused on "
                            "demand\r\n").encode()
            self.recipients.append(address)
            return b"250 OK\r\n"
        if verb == "DATA":
            if not self.recipients:
                return b"503 5.5.1 Error: need RCPT command\r\n"
            self.in_data = True
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == "RSET":
            self._reset()
            return b"250 OK\r\n"
        if verb == "NOOP":
            return b"250 OK\r\n"
        if verb == "QUIT":
            return b"221 Bye\r\n"
        return b"502 5.5.2 Error: command not recognized\r\n"

    def _reset(self) -> None:
        self.sender = None
        self.recipients = []

    def _message(self, content: bytes) -> bytes:
        head = content.split(b"\r\n\r\n", 1)[0]
        found = _MESSAGE_ID.search(head)
        message_id = found.group(1).decode(errors="replace") if found else ""
        state = self.state
        with state.lock:
            state.transactions += 1
            for recipient in self.recipients:
                state.raw += 1
                pair = (message_id, recipient.lower())
                if pair in state.deliveries:
                    state.duplicates += 1
                else:
                    state.deliveries[pair] = content
        self._reset()
        return b"250 Message accepted\r\n"


def _address(argument: str) -> str:
    """The address of ``FROM:<a@b> SIZE=10`` / ``TO:<a@b>``."""
    value = argument.partition(":")[2].strip()
    if value.startswith("<"):
        value = value[1:value.find(">")] if ">" in value else value[1:]
    return value.split(" ", 1)[0]


def _stats_handler(state: _State):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _answer(self, body: dict):
            raw = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self):
            with state.lock:
                if self.path == "/_messages":
                    return self._answer({"messages": state.parsed()})
                return self._answer({"raw": state.raw, "unique": len(state.deliveries),
                                     "duplicates": state.duplicates,
                                     "transactions": state.transactions,
                                     "sessions": state.sessions})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            with state.lock:
                if body.get("reset"):
                    state.reset()
                if "refuse" in body:
                    state.refuse = {a.lower() for a in body["refuse"]}
                    state.refuse_code = int(body.get("code", 550))
            self._answer({"ok": True})

    return Handler


def serve(port: int, stats_port: int) -> None:
    state = _State()
    server = ThreadingHTTPServer(("127.0.0.1", stats_port), _stats_handler(state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()

    async def main() -> None:
        smtp = await asyncio.get_running_loop().create_server(
            lambda: _Session(state), "127.0.0.1", port)
        async with smtp:
            await smtp.serve_forever()

    asyncio.run(main())


class SmtpSink(SinkProcess):
    """The SMTP server in a child process, and a client for its counts."""

    title = "the SMTP sink"

    def __init__(self, port: int, stats_port: int):
        self.port = port
        self.stats_port = stats_port
        self.stats_url = f"http://127.0.0.1:{stats_port}"
        super().__init__("tests.support.smtp_sink",
                         ["--port", str(port), "--stats-port", str(stats_port)], self.stats_url)

    def refuse(self, addresses: list[str], code: int = 550) -> None:
        self.control(refuse=addresses, code=code)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stats-port", type=int, required=True)
    args = parser.parse_args()
    serve(args.port, args.stats_port)
