"""Rules of the election routes of the counting part (groups from gateway.rules.elections)."""

from __future__ import annotations

from gateway.rules.base import Access

RULES: dict[str, Access] = {}
