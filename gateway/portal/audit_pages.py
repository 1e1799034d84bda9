"""What the audit trail pages share (a case's, an application's): an entry's changes as
lines, the page's offset from its cursor, and the links to the pages before and after.
Each page names its own actions and asks its own service."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from gateway.pagination import encode_cursor, offset_of

PAGE_SIZE = 50
MAX_CURSOR = 64


def changes(value: Any) -> list[tuple[str, str]]:
    """An entry's changes as (name, value) lines, in the service's words."""
    if isinstance(value, dict):
        return [(str(k), ", ".join(map(str, v)) if isinstance(v, list) else str(v))
                for k, v in value.items() if v not in (None, "", [])]
    if isinstance(value, list):
        return [("", ", ".join(map(str, value)))]
    return []


def offset(request: Request) -> int:
    """The page's first entry from ``?cursor=``; a cursor too long to be one is 0."""
    cursor = request.query_params.get("cursor") or None
    return offset_of(cursor if cursor and len(cursor) <= MAX_CURSOR else None)


def links(path: str, at: int, next_offset: int | None) -> dict[str, str | None]:
    """``next_link`` and ``previous_link`` of the page at ``at`` of ``path``."""
    def link(to: int) -> str:
        return path + (f"?cursor={encode_cursor(to)}" if to else "")

    return {"next_link": link(next_offset) if next_offset is not None else None,
            "previous_link": link(max(at - PAGE_SIZE, 0)) if at else None}
