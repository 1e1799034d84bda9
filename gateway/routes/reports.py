"""Registry reports: societies by state, type, status and year; applications by stage and
overdue."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/reports", tags=["reports"])
