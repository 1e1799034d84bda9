"""One CSV line of a member import: checked against the register's rules (the same
contract an admission is) into the values a staged row holds, or the reasons per field.

Columns: ``membership_number``, ``name``, ``category``, ``admission_date`` (YYYY-MM-DD),
and optionally ``phone``, ``email``, ``language`` (default en), ``shares``. A file for
many societies (the bulk command) adds ``society_id`` or ``society_registration_number``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from services.common.contracts.registry_members import (
    IMPORT_REQUIRED_COLUMNS as REQUIRED_COLUMNS,
)
from services.common.contracts.registry_members import (
    IMPORT_SOCIETY_COLUMNS as SOCIETY_COLUMNS,
)
from services.common.contracts.registry_members import MemberFieldsV1
from services.registry.member_payloads import field_reasons


def check_header(columns: list[str], *, society_column: bool) -> dict[str, str]:
    """Reasons the header cannot be imported ({} when it can)."""
    problems: dict[str, str] = {}
    seen = set()
    for name in columns:
        if name in seen:
            problems[name] = "column named twice"
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems[name] = "required column missing"
    if society_column:
        named = [c for c in SOCIETY_COLUMNS if c in seen]
        if len(named) != 1:
            problems["society"] = ("name the society in exactly one column: society_id or "
                                   "society_registration_number")
    return problems


def society_column_of(columns: list[str]) -> str:
    return next(c for c in SOCIETY_COLUMNS if c in columns)


def check_row(cells: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """(values for the staging table, {}) or (None, {field: reason})."""
    try:
        fields = MemberFieldsV1.model_validate(cells)
    except ValidationError as exc:
        return None, field_reasons(exc)
    return {
        "membership_number": fields.membership_number,
        "name": fields.name,
        "category": fields.category,
        "admission_date": fields.admission_date,
        "phone": fields.phone,
        "email": fields.email,
        "language": fields.language,
        "shares": fields.shares,
    }, {}
