"""Documents: streamed uploads and downloads, versions, templates, certificates and their
public verification."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/documents", tags=["documents"])
