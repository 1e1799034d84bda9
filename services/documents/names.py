"""File names as clients send them, made safe to keep and to hand back in a download's
Content-Disposition: no directories, no control characters, no leading dots, bounded."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
MAX_NAME = 200


def sanitise(name: str) -> str | None:
    """The base name with unsafe characters replaced, or None if nothing usable is left
    (``..``, ``/``, only dots or spaces)."""
    name = unicodedata.normalize("NFC", name)
    # The last path component, whichever separator the client's system uses.
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name or set(name) <= {"_", "."}:
        return None
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[:MAX_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME]
    return name
