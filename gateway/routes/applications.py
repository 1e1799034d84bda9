"""Registration, bye-law amendment and branch-opening applications: drafts, the status
tracker, scrutiny and decisions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/applications", tags=["applications"])
