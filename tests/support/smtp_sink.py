"""An SMTP server on loopback (aiosmtpd) that keeps what it receives and counts each
delivery once per (Message-ID, recipient), plus the raw repeats it saw.

One transaction may carry many recipients (RCPT TO) of one identical message; each
recipient is a delivery. The sink must cost less than the sender it measures: on
receipt it only finds the Message-ID in the header block and keeps the raw bytes of
first arrivals in memory; messages are parsed when a test asks for them.

Run as its own process (``SmtpSink().start()``, or ``python -m tests.support.smtp_sink
--port N --stats-port M``): aiosmtpd needs asyncio, the service tests run under eventlet.
``GET /_stats`` on the stats port: raw deliveries, unique (Message-ID, recipient),
duplicates, transactions, sessions;
``GET /_messages``: the unique deliveries (to, subject, Message-ID, body) in order;
``POST /_control {"refuse": ["addr"], "code": 550}`` refuses those recipients;
``POST /_control {"reset": true}`` forgets everything received (a fresh count).
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.sink_process import SinkProcess

# \s* also crosses a folded line ("Message-ID:\r\n <id>").
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


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


class _Handler:
    def __init__(self, state: _State):
        self.state = state

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.state.lock:
            self.state.sessions += 1
        session.host_name = hostname
        # aiosmtpd reads commands one line at a time, so pipelined commands work;
        # it just does not say so. Real relays do (RFC 2920).
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.state.lock:
            if address.lower() in self.state.refuse:
                code = self.state.refuse_code
                return f"{code} {'5.1.1' if code >= 500 else '4.2.0'} refused on demand"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        head = content.split(b"\r\n\r\n", 1)[0]
        found = _MESSAGE_ID.search(head)
        message_id = found.group(1).decode(errors="replace") if found else ""
        state = self.state
        with state.lock:
            state.transactions += 1
            for recipient in envelope.rcpt_tos:
                state.raw += 1
                pair = (message_id, recipient.lower())
                if pair in state.deliveries:
                    state.duplicates += 1
                else:
                    state.deliveries[pair] = content
        return "250 Message accepted"


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
    from aiosmtpd.controller import Controller

    state = _State()
    controller = Controller(_Handler(state), hostname="127.0.0.1", port=port,
                            data_size_limit=10 * 1024 * 1024)
    controller.start()
    server = ThreadingHTTPServer(("127.0.0.1", stats_port), _stats_handler(state))
    server.daemon_threads = True
    try:
        server.serve_forever()
    finally:
        controller.stop()


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
