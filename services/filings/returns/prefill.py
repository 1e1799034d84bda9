"""Prefill: what the platform already knows, put into a new draft as its definition
says (``"prefill"`` in the form's JSON). The one source so far is the registry's
RCS/LQR/01 counts for an office and a period (``liquidation_return``)::

    "prefill": {"source": "liquidation_return",
                "fields": {"opening": "opening", "assets_opening": "assets.opening"},
                "tables": {"by_type": {"rows_from": "by_type", "key": "type",
                                       "value": "count", "column": "total",
                                       "other_row": "others"}}}

A field the filer sent keeps the filer's value; a path the source does not answer is
left blank."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.filings.forms import periods, schema

SOURCES = ("liquidation_return",)


def period_start(form: schema.Form, period_end: date) -> date:
    before = periods.period_ends_between(form, period_end - timedelta(days=400),
                                         period_end - timedelta(days=1))
    return (before[-1] if before else period_end - timedelta(days=365)) + timedelta(days=1)


def _path(answer: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(answer, dict) or part not in answer:
            return None
        answer = answer[part]
    return answer


def values_from(form: schema.Form, answer: dict) -> dict:
    spec = form.raw.get("prefill") or {}
    values: dict[str, Any] = {}
    for field, path in (spec.get("fields") or {}).items():
        found = _path(answer, path)
        if found is not None:
            values[field] = found
    for table_id, rule in (spec.get("tables") or {}).items():
        table = form.tables[table_id]
        rows: dict[str, dict] = {}
        for item in _path(answer, rule["rows_from"]) or []:
            key = str(item.get(rule["key"], "")).lower()
            key = key if key in table.row_keys else rule.get("other_row")
            if key is None:
                continue
            cell = rows.setdefault(key, {rule["column"]: 0})
            cell[rule["column"]] += int(item.get(rule["value"]) or 0)
        if rows:
            values[table_id] = rows
    return values


def check(raw: dict, form_fields: set[str], tables: dict) -> dict[str, str]:
    """Problems of a definition's prefill (none when it has none)."""
    spec = raw.get("prefill")
    if spec is None:
        return {}
    problems = {}
    if not isinstance(spec, dict) or spec.get("source") not in SOURCES:
        return {"prefill.source": f"one of {', '.join(SOURCES)}"}
    for field in spec.get("fields") or {}:
        if field not in form_fields:
            problems[f"prefill.fields.{field}"] = "not a field of the form"
    for table_id, rule in (spec.get("tables") or {}).items():
        if table_id not in tables or not tables[table_id].fixed:
            problems[f"prefill.tables.{table_id}"] = "not a table of fixed rows of the form"
        elif not isinstance(rule, dict) or rule.get("column") not in tables[table_id].columns \
                or not all(isinstance(rule.get(k), str) for k in ("rows_from", "key", "value")):
            problems[f"prefill.tables.{table_id}"] = ("rows_from, key, value and a column "
                                                      "of the table")
    return problems
