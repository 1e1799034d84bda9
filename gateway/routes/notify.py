"""Mailboxes, message templates, mass communication jobs and delivery records."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["notify"])
