"""Moving document bytes between clients and the documents service's data plane without
holding a file in memory: a request body streams to ``PUT <upload_url>`` as it arrives
(``httpx``), and a download is relayed back piece by piece (``gateway/documents_relay.py``).
Only the signed URLs come over the bus (from ``documents.begin_upload`` and
``documents.open_download``).

One ``httpx.AsyncClient`` per app for uploads (made on first use, kept on ``app.state``):
its pool keeps connections to the data plane open between transfers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from gateway import documents_relay as relay
from gateway.middleware import BodyTooLarge
from gateway.rpc import ServiceUnavailable
from services.common.errors import TYPED_ERRORS

_TYPED_BY_CODE = {cls.code: cls for cls in TYPED_ERRORS.values()}


class TransferFailed(StarletteHTTPException):
    """A refusal of the data plane that is not a typed error (413, 415, a truncated body),
    answered in the gateway's error shape with the plane's message and details."""

    def __init__(self, status: int, message: str, details: dict[str, Any] | None = None):
        super().__init__(status, message)
        self.details = details or {}


def data_plane(request: Request) -> httpx.AsyncClient:
    state = request.app.state
    client = getattr(state, "documents_http", None)
    if client is None:
        timeout = state.settings.documents_io_timeout
        client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=5.0),
                                   limits=httpx.Limits(max_keepalive_connections=16))
        state.documents_http = client
    return client


def raise_for_plane(status: int, body: Any) -> None:
    """Turn the data plane's error answer into the gateway's: typed errors as themselves
    (so 403/404/409/422 keep their meaning), anything else by its status."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        raise TransferFailed(502, "The documents service gave no usable answer.")
    message = str(error.get("message") or "The documents service refused the transfer.")
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    typed = _TYPED_BY_CODE.get(str(error.get("code")))
    if typed is not None:
        raise typed(message, details)
    if status == 503:
        raise ServiceUnavailable("documents")
    raise TransferFailed(status if 400 <= status < 600 else 502, message, details)


async def upload(request: Request, upload_url: str, max_bytes: int,
                 length: int | None) -> dict[str, Any]:
    """Stream the request body to the data plane; the plane's JSON answer."""
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        async for chunk in request.stream():
            sent += len(chunk)
            if sent > max_bytes:
                raise BodyTooLarge(max_bytes)
            if chunk:
                yield chunk

    # A declared length travels on, so the plane can tell a cut-off body from a whole one.
    headers = {"Content-Length": str(length)} if length is not None else {}
    try:
        response = await data_plane(request).put(upload_url, content=body(), headers=headers)
    except ClientDisconnect:
        raise TransferFailed(400, "The upload ended before the whole file arrived.",
                             {"received_bytes": sent}) from None
    except httpx.TransportError as exc:
        if sent > max_bytes:
            raise BodyTooLarge(max_bytes) from None
        raise TransferFailed(502, "The documents service broke off the upload.",
                             {"reason": type(exc).__name__}) from None
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code >= 400:
        raise_for_plane(response.status_code, answer)
    return answer


async def download(request: Request, ticket: dict[str, Any], disposition: str) -> Response:
    """Relay the object a ticket names to the client (``gateway/documents_relay.py``)."""
    timeout = request.app.state.settings.documents_io_timeout
    try:
        upstream = await relay.open_get(ticket["download_url"], timeout)
    except relay.UpstreamFailed:
        raise ServiceUnavailable("documents") from None
    if upstream.status != 200:
        try:
            answer = await upstream.read_all(relay.ERROR_BODY_LIMIT)
        except relay.UpstreamFailed:
            answer = b""
        finally:
            upstream.close()
        try:
            body = json.loads(answer)
        except ValueError:
            body = None
        raise_for_plane(upstream.status, body)
    # What the file is comes from the ticket (the record), not from whoever serves the
    # bytes: the data plane, or S3 itself through a presigned URL. A known length spares
    # the server chunked encoding.
    headers = {"content-type": ticket["content_type"],
               "content-length": relay.content_length(upstream, ticket["size"]),
               "etag": f'"{ticket["sha256"]}"', "x-content-sha256": ticket["sha256"],
               "x-document-version": str(ticket["version"]),
               "content-disposition": disposition}
    return relay.RelayResponse(upstream, headers)


async def sha256_of_body(request: Request, max_bytes: int) -> tuple[str, int]:
    """The SHA-256 and size of a request body, read as it streams (certificate checks)."""
    digest, size = hashlib.sha256(), 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise BodyTooLarge(max_bytes)
            digest.update(chunk)
    except ClientDisconnect:
        raise TransferFailed(400, "The file ended before it fully arrived.") from None
    return digest.hexdigest(), size
