"""Rules of the registry's routes: societies, offices, applications, the public directory,
liquidation and reports."""

from __future__ import annotations

from gateway.rules.base import Access

RULES: dict[str, Access] = {}
