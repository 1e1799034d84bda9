"""Election routes of the voters part of the workflow."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/elections", tags=["elections"])
