"""Election routes of the nominations part of the workflow."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/elections", tags=["elections"])
