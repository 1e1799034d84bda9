"""Registrar offices: the national → state → district hierarchy and each office's
registration-number format."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/offices", tags=["offices"])
