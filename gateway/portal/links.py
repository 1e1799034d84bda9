"""Where the portal may send a visitor back to: its own paths only."""

from __future__ import annotations


def safe_next(target: str | None, default: str = "/") -> str:
    """A place on this site to go back to: a path, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
