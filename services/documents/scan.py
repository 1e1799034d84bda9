"""The optional virus-scan hook: a command (``DOCUMENTS_SCAN_COMMAND``, e.g.
``clamdscan --no-summary -``) that reads the stored bytes on standard input and exits 0
for a clean file and 1 for an infected one (clamd's convention). Any other exit is a
failure of the scanner, and the upload is refused rather than stored unscanned."""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Iterable


class Infected(Exception):
    pass


class ScannerFailed(Exception):
    pass


class CommandScanner:
    def __init__(self, command: str, timeout: float = 300.0):
        self.argv = shlex.split(command)
        self.timeout = timeout

    def scan(self, chunks: Iterable[bytes]) -> None:
        process = subprocess.Popen(self.argv, stdin=subprocess.PIPE,  # noqa: S603
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            for chunk in chunks:
                process.stdin.write(chunk)
            process.stdin.close()
        except BrokenPipeError:
            pass  # the scanner decided early; its exit code says what
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        try:
            output, _ = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise ScannerFailed("the scanner did not finish in time") from None
        if process.returncode == 1:
            raise Infected(output.decode(errors="replace").strip()[:200])
        if process.returncode != 0:
            raise ScannerFailed(f"the scanner exited with {process.returncode}")


def make_scanner(command: str) -> CommandScanner | None:
    return CommandScanner(command) if command.strip() else None
