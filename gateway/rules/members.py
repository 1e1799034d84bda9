"""Rules of the member register's routes."""

from __future__ import annotations

from gateway.rules.base import Access

RULES: dict[str, Access] = {}
