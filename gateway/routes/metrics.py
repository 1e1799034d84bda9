"""Prometheus scrape endpoint; left out of the OpenAPI schema."""

from __future__ import annotations

from fastapi import APIRouter, Response

from gateway.metrics import exposition

router = APIRouter()


@router.get("/metrics", name="metrics", response_model=None, include_in_schema=False)
async def metrics() -> Response:
    body, content_type = exposition()
    return Response(content=body, media_type=content_type)
