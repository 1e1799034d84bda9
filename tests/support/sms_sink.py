"""A stand-in SMS provider on loopback: the bulk endpoint notify speaks, deduplication by
client reference as real gateways do, and failures on demand.

Run as its own process (``SmsSink().start()``, or ``python -m tests.support.sms_sink
--port N``) so the eventlet tests, the asyncio tests and the benchmark use it alike.

``POST /v1/sms/bulk`` ``{"sender", "messages": [{"ref", "to", "text"}]}`` answers
``{"results": [{"ref", "status": accepted|duplicate|rejected, "id", "error"}]}``;
a number that is not E.164 is rejected. Control and counts:
``POST /_control {"fail": n, "status": 503}`` (the next n requests answer that status),
``{"slow": seconds}`` (every request waits), ``{"reject": ["+91..."]}``,
``{"reset": true}`` (forget what was received: a fresh count);
``GET /_stats``: requests, raw messages, unique refs accepted, duplicates seen;
``GET /_messages``: what was accepted, in order.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.sink_process import SinkProcess

_E164 = re.compile(r"^\+[1-9][0-9]{9,14}$")


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.fail = 0
        self.fail_status = 503
        self.slow = 0.0
        self.reject: set[str] = set()
        self.reset()

    def reset(self) -> None:
        self.accepted: dict[str, dict] = {}
        self.order: list[str] = []
        self.requests = 0
        self.raw = 0
        self.duplicates = 0
        self.auth: list[str] = []


def _handler(state: _State, api_key: str | None):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _answer(self, status: int, body: dict, headers: dict | None = None):
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def _body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def do_GET(self):
            with state.lock:
                if self.path == "/_stats":
                    return self._answer(200, {
                        "requests": state.requests, "raw": state.raw,
                        "unique": len(state.accepted), "duplicates": state.duplicates})
                if self.path == "/_messages":
                    return self._answer(200, {"messages": [state.accepted[r]
                                                           for r in state.order]})
            self._answer(404, {})

        def do_POST(self):
            body = self._body()
            if self.path == "/_control":
                with state.lock:
                    if body.get("reset"):
                        state.reset()
                    if "fail" in body:
                        state.fail = int(body["fail"])
                        state.fail_status = int(body.get("status", 503))
                    if "slow" in body:
                        state.slow = float(body["slow"])
                    if "reject" in body:
                        state.reject = set(body["reject"])
                return self._answer(200, {"ok": True})
            if self.path != "/v1/sms/bulk":
                return self._answer(404, {})
            with state.lock:
                state.requests += 1
                state.auth.append(self.headers.get("Authorization", ""))
                slow = state.slow
                failing = state.fail > 0
                if failing:
                    state.fail -= 1
            if slow:
                time.sleep(slow)
            if api_key and self.headers.get("Authorization") != f"Bearer {api_key}":
                return self._answer(401, {"error": "bad key"})
            if failing:
                return self._answer(state.fail_status, {"error": "on demand"},
                                    {"Retry-After": "1"} if state.fail_status == 429 else {})
            results = []
            with state.lock:
                for message in body.get("messages", []):
                    state.raw += 1
                    ref, to = message.get("ref"), message.get("to", "")
                    if ref in state.accepted:
                        state.duplicates += 1
                        results.append({"ref": ref, "status": "duplicate",
                                        "id": state.accepted[ref]["id"]})
                    elif not _E164.match(to) or to in state.reject:
                        results.append({"ref": ref, "status": "rejected",
                                        "error": "invalid destination"})
                    else:
                        item = {"ref": ref, "to": to, "text": message.get("text", ""),
                                "id": f"sms-{len(state.accepted) + 1}"}
                        state.accepted[ref] = item
                        state.order.append(ref)
                        results.append({"ref": ref, "status": "accepted", "id": item["id"]})
            self._answer(200, {"results": results})

    return Handler


def serve(port: int, api_key: str | None = None) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(_State(), api_key))
    server.daemon_threads = True
    server.serve_forever()


class SmsSink(SinkProcess):
    """The stand-in in a child process, and a client for its counts and controls."""

    title = "the SMS stand-in"

    def __init__(self, port: int, api_key: str = "test-sms-key"):
        self.port = port
        self.api_key = api_key
        self.url = f"http://127.0.0.1:{port}"
        super().__init__("tests.support.sms_sink", ["--port", str(port), "--api-key", api_key],
                         self.url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-key", default=None)
    args = parser.parse_args()
    serve(args.port, args.api_key)
