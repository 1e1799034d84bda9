"""Rules of the documents routes: uploads, downloads, templates, certificates and their
public verification."""

from __future__ import annotations

from gateway.rules.base import Access

RULES: dict[str, Access] = {}
