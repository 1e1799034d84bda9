"""Liquidation: orders, liquidators, proceedings, assets and liabilities, closure or revival."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/liquidation", tags=["liquidation"])
