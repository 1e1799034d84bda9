"""One pagination convention for every list of the HTTP API.

Ask with ``limit`` and ``cursor`` (omitted for the first page); the answer is
``{"items": [...], "next_cursor": str | null, ...}``, and the next page is asked with
``cursor=<next_cursor>`` until it is null. The cursor is opaque: clients pass it back
unchanged and never build one.

Behind it the services page in their own ways (an offset, a keyset ``after`` key, their
own cursor); the RPC contracts keep them. For a service that answers ``next_offset``,
``next_after`` or ``next``, the gateway wraps that value into the cursor
(``encode_cursor``) and unwraps it on the way back (``offset_of`` / ``after_of``); a
service that already answers ``next_cursor`` (the directory, documents, mailboxes) has its
cursor passed through as it is.
"""

from __future__ import annotations

import base64
import binascii
import json
from functools import cache
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field, create_model

from services.common.errors import InvalidInput

MAX_CURSOR_LENGTH = 512
CURSOR_PATTERN = r"^[A-Za-z0-9_=-]+$"

CursorQuery = Annotated[str | None, Query(
    min_length=1, max_length=MAX_CURSOR_LENGTH, pattern=CURSOR_PATTERN,
    description="`next_cursor` of the previous page; omit it for the first page")]

# How services name the position of their next page; the gateway answers next_cursor.
SERVICE_NEXT_KEYS = ("next_offset", "next_after", "next")
NEXT_CURSOR_DESCRIPTION = "pass as `cursor` for the next page; null on the last page"


def encode_cursor(value: int | str | None) -> str | None:
    if value is None:
        return None
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _refuse() -> InvalidInput:
    return InvalidInput("The cursor is not one this list gave.",
                        fields={"query.cursor": "not a cursor this list gave"})


def _decode(cursor: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError):
        raise _refuse() from None


def offset_of(cursor: str | None) -> int:
    """The offset a cursor of an offset-paged list stands for (0 without one)."""
    if cursor is None:
        return 0
    value = _decode(cursor)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _refuse()
    return value


def after_of(cursor: str | None, kind: type[int] | type[str]) -> int | str | None:
    """The keyset ``after`` key a cursor stands for (None without one)."""
    if cursor is None:
        return None
    value = _decode(cursor)
    if not isinstance(value, kind) or isinstance(value, bool) or (
            isinstance(value, int) and value < 0):
        raise _refuse()
    return value


def as_page(answer: dict[str, Any]) -> dict[str, Any]:
    """A service's page with its next position as ``next_cursor``."""
    page = dict(answer)
    for key in SERVICE_NEXT_KEYS:
        if key in page:
            page["next_cursor"] = encode_cursor(page.pop(key))
            return page
    page.setdefault("next_cursor", None)
    return page


@cache
def page_model(contract: type[BaseModel], name: str) -> type[BaseModel]:
    """The HTTP shape of a service's page model: the same fields, the next position as
    ``next_cursor``."""
    fields: dict[str, Any] = {
        key: (info.annotation, info) for key, info in contract.model_fields.items()
        if key not in SERVICE_NEXT_KEYS}
    fields["next_cursor"] = (str | None, Field(description=NEXT_CURSOR_DESCRIPTION))
    return create_model(name, __doc__=contract.__doc__, **fields)
