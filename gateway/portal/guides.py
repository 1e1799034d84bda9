"""The knowledge base: how-to guides kept as data (``guides.json``), each in English and
Hindi, read once."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

GUIDES_FILE = Path(__file__).with_name("guides.json")


@cache
def _guides() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(GUIDES_FILE.read_text(encoding="utf-8"))["guides"])


def _in(language: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {"slug": entry["slug"], "audience": entry["audience"],
            **{field: entry[field][language] for field in ("title", "summary", "steps")}}


def all_guides(language: str) -> list[dict[str, Any]]:
    return [_in(language, entry) for entry in _guides()]


def guide(slug: str, language: str) -> dict[str, Any] | None:
    return next((_in(language, entry) for entry in _guides() if entry["slug"] == slug), None)
