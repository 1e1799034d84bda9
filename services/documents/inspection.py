"""What arrives while it arrives: a reader that counts, hashes and keeps the first bytes of
a stream as the store pulls it through, and the content type detected from those bytes.

The client's Content-Type is never trusted: ``filetype`` reads the signature of binary
formats from the first bytes; a file with no signature is text only when every byte of it
decodes as UTF-8 and none is NUL, and the name's extension then tells CSV from plain text.
"""

from __future__ import annotations

import codecs
import hashlib

import filetype

from services.documents import kinds

HEAD_BYTES = 8192


class TooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class Truncated(Exception):
    """The body ended before the length the client declared."""


class InspectingReader:
    """A file-like ``read(n)`` over ``source`` (another file-like) that refuses more than
    ``limit`` bytes and computes size, SHA-256, the head and UTF-8 validity on the way."""

    def __init__(self, source, limit: int, expected_length: int | None = None):
        self._source = source
        self._limit = limit
        self._expected = expected_length
        self.size = 0
        self._sha = hashlib.sha256()
        self._head = bytearray()
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self.is_text = True
        self.finished = False

    def read(self, n: int = -1) -> bytes:
        try:
            chunk = self._source.read(n if n and n > 0 else 1024 * 1024)
        except (OSError, ValueError) as exc:
            # The client went away mid-body (a reset, or chunked framing cut short).
            raise Truncated(f"the body broke off after {self.size} bytes: {exc!r}") from None
        if not chunk:
            if self._expected is not None and self.size < self._expected:
                raise Truncated(f"{self.size} of {self._expected} bytes arrived")
            if not self.finished:
                self.finished = True
                self._check_text(b"", final=True)
            return b""
        self.size += len(chunk)
        if self.size > self._limit:
            raise TooLarge(self._limit)
        self._sha.update(chunk)
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[:HEAD_BYTES - len(self._head)]
        self._check_text(chunk)
        return chunk

    def _check_text(self, chunk: bytes, final: bool = False) -> None:
        if not self.is_text:
            return
        if b"\x00" in chunk:
            self.is_text = False
            return
        try:
            self._utf8.decode(chunk, final)
        except UnicodeDecodeError:
            self.is_text = False

    def drain(self, chunk_size: int = 1024 * 1024) -> None:
        """Read to the end (for stores that stop at a known length)."""
        while self.read(chunk_size):
            pass

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    @property
    def head(self) -> bytes:
        return bytes(self._head)


def detect_content_type(head: bytes, is_text: bool, file_name: str) -> str | None:
    """The content type the bytes show, or None when they match nothing known."""
    guess = filetype.guess(head) if head else None
    if guess is not None:
        return guess.mime
    if head and is_text:
        return kinds.CSV if file_name.lower().endswith(".csv") else kinds.TEXT
    return None
