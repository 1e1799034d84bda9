"""A loopback sink (the SMTP server, the SMS provider stand-in) run as a child process,
and a client for the HTTP side every sink has: ``/_stats``, ``/_messages``, ``/_control``."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]


class SinkProcess:
    title = "the sink"

    def __init__(self, module: str, args: list[str], control_url: str):
        self._command = [sys.executable, "-m", module, *args]
        self.control_url = control_url
        self.process: subprocess.Popen | None = None

    def start(self):
        self.process = subprocess.Popen(self._command, cwd=REPO_ROOT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                self.stats()
                return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.title} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def stats(self) -> dict:
        return httpx.get(f"{self.control_url}/_stats", timeout=5).json()

    def messages(self) -> list[dict]:
        return httpx.get(f"{self.control_url}/_messages", timeout=30).json()["messages"]

    def control(self, **settings) -> None:
        httpx.post(f"{self.control_url}/_control", json=settings, timeout=5).raise_for_status()

    def reset(self) -> None:
        """Forget what was received: the next counts start from zero."""
        self.control(reset=True)
