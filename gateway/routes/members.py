"""A society's member register: members, CSV import and export, snapshots as on a date."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/societies", tags=["members"])
