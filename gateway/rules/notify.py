"""Rules of the notify routes: mailboxes, templates, mass communication, delivery records."""

from __future__ import annotations

from gateway.rules.base import Access

RULES: dict[str, Access] = {}
