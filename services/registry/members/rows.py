"""One CSV line of a member import: checked against the register's rules (the same
contract an admission is) into the values a staged row holds, or the reasons per field.

Columns: ``membership_number``, ``name``, ``category``, ``admission_date`` (YYYY-MM-DD),
and optionally ``phone``, ``email``, ``language`` (default en), ``shares``. A file for
many societies (the bulk command) adds ``society_id`` or ``society_registration_number``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from services.common.contracts.registry_members import (
    CATEGORIES,
    LANGUAGES,
    MemberFieldsV1,
)
from services.common.contracts.registry_members import (
    IMPORT_REQUIRED_COLUMNS as REQUIRED_COLUMNS,
)
from services.common.contracts.registry_members import (
    IMPORT_SOCIETY_COLUMNS as SOCIETY_COLUMNS,
)
from services.common.validation import field_reasons


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


# The plain forms of the cells, as most files write them. A row whose every cell is
# plain is taken as it is (the contract would accept it unchanged); any other row goes
# through the contract, which normalises what it may and names what is wrong. The
# patterns are no looser than the contract's, so the fast path never admits a row the
# contract refuses, and the reasons of a bad row are always the contract's.
_PLAIN_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._-]{0,31}").fullmatch
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_PLAIN_PHONE = re.compile(r"\+?[0-9]{10,15}").fullmatch
_PLAIN_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+").fullmatch
_PLAIN_SHARES = re.compile(r"0|[1-9][0-9]{0,8}|1000000000").fullmatch
_CATEGORIES = frozenset(CATEGORIES)
_LANGUAGES = frozenset(LANGUAGES)
_dates: dict[str, date] = {}


def _plain_date(text: str) -> date | None:
    """A past ISO date, remembered: a register has few distinct admission days."""
    known = _dates.get(text)
    if known is None and _PLAIN_DATE(text):
        try:
            known = date.fromisoformat(text)
        except ValueError:
            return None
        if known > date.today():
            return None
        if len(_dates) < 100_000:
            _dates[text] = known
    return known


def plain_values(cells: dict[str, Any]) -> dict[str, Any] | None:
    """The staged values of a row whose cells are all in their plain form, else None
    (the contract decides)."""
    number, name = cells.get("membership_number"), cells.get("name")
    category, admitted = cells.get("category"), cells.get("admission_date")
    phone, email = cells.get("phone") or None, cells.get("email") or None
    language, shares = cells.get("language") or "en", cells.get("shares") or None
    if not (isinstance(number, str) and _PLAIN_NUMBER(number)
            and isinstance(name, str) and 0 < len(name) <= 200
            and not name[0].isspace() and not name[-1].isspace()
            and category in _CATEGORIES and language in _LANGUAGES
            and isinstance(admitted, str)
            and (phone is None or (isinstance(phone, str) and _PLAIN_PHONE(phone)))
            and (email is None or (isinstance(email, str) and len(email) <= 254
                                   and _PLAIN_EMAIL(email)))
            and (shares is None or (isinstance(shares, str) and _PLAIN_SHARES(shares)))):
        return None
    admission_date = _plain_date(admitted)
    if admission_date is None:
        return None
    return {"membership_number": number, "name": name, "category": category,
            "admission_date": admission_date, "phone": phone, "email": email,
            "language": language, "shares": None if shares is None else int(shares)}


def check_row(cells: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """(values for the staging table, {}) or (None, {field: reason})."""
    plain = plain_values(cells)
    if plain is not None:
        return plain, {}
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
