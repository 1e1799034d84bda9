"""A set of returns of one form as rows for CSV and XLSX: the filing's own columns, then every
field of every version of the form (scalar fields by id, a fixed table's cells as
``table.row.column``, a table whose rows the filer adds as one JSON column)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.filings.forms import schema
from services.filings.tables import form_definition

META = ("filing_id", "filer_kind", "filer_id", "filer_name", "period_end", "due_on",
        "status", "form_version", "ack_number", "submitted_at", "late", "days_late")
# What the filing's own columns hold and are called (the XLSX export types its cells and
# lists every column with its English and Hindi label).
META_COLUMNS = [
    {"id": "filing_id", "type": "text", "en": "Return id", "hi": "विवरणी आईडी"},
    {"id": "filer_kind", "type": "text", "en": "Filed by (society or office)",
     "hi": "दाखिलकर्ता (संस्था या कार्यालय)"},
    {"id": "filer_id", "type": "text", "en": "Filer id", "hi": "दाखिलकर्ता आईडी"},
    {"id": "filer_name", "type": "text", "en": "Filer", "hi": "दाखिलकर्ता"},
    {"id": "period_end", "type": "date", "en": "Period ended", "hi": "अवधि समाप्ति"},
    {"id": "due_on", "type": "date", "en": "Due on", "hi": "देय तिथि"},
    {"id": "status", "type": "text", "en": "Status", "hi": "स्थिति"},
    {"id": "form_version", "type": "count", "en": "Form version", "hi": "प्ररूप संस्करण"},
    {"id": "ack_number", "type": "text", "en": "Acknowledgement number",
     "hi": "पावती संख्या"},
    {"id": "submitted_at", "type": "text", "en": "Submitted at (UTC)",
     "hi": "प्रस्तुत करने का समय (UTC)"},
    {"id": "late", "type": "boolean", "en": "Filed late", "hi": "विलंब से दाखिल"},
    {"id": "days_late", "type": "count", "en": "Days late", "hi": "विलंब के दिन"},
]


def columns(session: Session, form_code: str) -> list[dict[str, str]]:
    """Every field of every version of the form, first seen first: its column id, type
    and labels (a fixed table's cell as ``table.row.column``; a table whose rows the
    filer adds as one JSON text column)."""
    found: dict[str, dict[str, str]] = {}
    for raw in session.execute(select(form_definition.c.definition).where(
            form_definition.c.code == form_code).order_by(
            form_definition.c.jurisdiction, form_definition.c.version)).scalars():
        form = schema.load(raw)
        for name, field in form.fields.items():
            found.setdefault(name, _described(name, field.type, field.label))
        for table in form.tables.values():
            if not table.fixed:
                found.setdefault(table.id, _described(table.id, "text", table.label))
                continue
            for key in table.row_keys:
                for column_id, column in table.columns.items():
                    name = f"{table.id}.{key}.{column_id}"
                    label = {lang: f"{table.label.get(lang, '')}: {key}: "
                                   f"{column.label.get(lang, column_id)}"
                             for lang in ("en", "hi")}
                    found.setdefault(name, _described(name, column.type, label))
    return list(found.values())


def _described(name: str, kind: str, label: dict[str, str]) -> dict[str, str]:
    return {"id": name, "type": kind, "en": label.get("en", name),
            "hi": label.get("hi") or label.get("en", name)}


def row(item: dict, names: list[str]) -> list[Any]:
    values = item["values"]
    out: list[Any] = [item["id"], item["filer_kind"], item["filer_id"], item["filer_name"],
                      item["period_end"], item["due_on"], item["status"],
                      item["form_version"], item["ack_number"], item["submitted_at"],
                      item["late"], item["days_late"]]
    for name in names:
        parts = name.split(".")
        if len(parts) == 3:
            cell = ((values.get(parts[0]) or {}).get(parts[1]) or {}).get(parts[2])
        else:
            cell = values.get(name)
            if isinstance(cell, list | dict):
                cell = json.dumps(cell, ensure_ascii=False)
        out.append(cell)
    return out
