"""A set of returns of one form as rows for CSV: the filing's own columns, then every
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


def columns(session: Session, form_code: str) -> list[str]:
    found: list[str] = []
    for raw in session.execute(select(form_definition.c.definition).where(
            form_definition.c.code == form_code).order_by(
            form_definition.c.jurisdiction, form_definition.c.version)).scalars():
        form = schema.load(raw)
        names = list(form.fields)
        for table in form.tables.values():
            if table.fixed:
                names += [f"{table.id}.{k}.{c}" for k in table.row_keys for c in table.columns]
            else:
                names.append(table.id)
        found += [n for n in names if n not in found]
    return found


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
