"""The definitions shipped with the platform: every ``definitions/*.json`` file, checked
as it is read. ``python -m services.filings seed-forms`` (and the service's start) store
those not stored yet; a new version is a new file, never an edit of an old one."""

from __future__ import annotations

import json
from pathlib import Path

from services.filings.forms import schema

DEFINITIONS = Path(__file__).parent / "definitions"


def shipped() -> list[dict]:
    found = []
    for path in sorted(DEFINITIONS.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        try:
            schema.load(raw)
        except schema.DefinitionError as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
        found.append(raw)
    return found
