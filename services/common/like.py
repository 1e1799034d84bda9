"""Text matched as itself in a SQL ``LIKE`` pattern: ``%`` and ``_`` (which office ids
and names may hold) and the escape character itself escaped. Use with
``column.like(pattern, escape=ESCAPE)``."""

from __future__ import annotations

ESCAPE = "\\"


def literal(text: str) -> str:
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace(
        "_", ESCAPE + "_")
