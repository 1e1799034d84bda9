"""Benchmark of the member register: bulk import rate and memory, snapshot time.

    python -m tests.perf.bench_registry_members [--members 5000000] [--societies 5000]

Creates a throwaway PostgreSQL database, migrates the registry into it, inserts the
societies itself (``society`` rows with placeholders for what the society side
requires), writes a CSV of ``--members`` members over ``--societies`` societies, and
runs ``python -m services.registry.member_import`` on it as a child process, reading
its peak RSS. Then it adds one society of exactly 30,644 members (30,466 individuals,
178 firms: the bank of seed 003) and times its snapshot as on 31 March through the RPC
(a registry service on the broker) and through the gateway's CSV export. Prints figures;
asserts nothing about time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Numeric, select

from services.registry.society_tables import registrar_office, society


def _placeholder(column, name: str, now: datetime, office_id: str | None) -> Any:
    if column.foreign_keys and any(fk.column.table is registrar_office
                                   for fk in column.foreign_keys):
        return office_id
    kind = column.type
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, DateTime):
        return now
    if isinstance(kind, Date):
        return now.date()
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer | Numeric):
        return 0
    if column.name == "name_key":
        return name.lower()
    return "others" if column.name == "type" else "-"


def society_rows(connection, societies: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Rows for ``society`` from (id, registration number, name): the columns the member
    register reads, and a placeholder for every other column the society side requires
    (its own loader fills them properly)."""
    now = datetime.now(UTC)
    office_id = connection.execute(select(registrar_office.c.id).limit(1)).scalar()
    rows = []
    for society_id, number, name in societies:
        values = {"id": society_id, "registration_number": number,
                  "registration_date": date(2016, 1, 1), "name": name,
                  "status": "registered", "created_at": now}
        for column in society.columns:
            if (column.name in values or column.nullable or column.default is not None
                    or column.server_default is not None):
                continue
            values[column.name] = _placeholder(column, name, now, office_id)
        rows.append(values)
    return rows


def insert_societies(connection, societies: list[tuple[str, str, str]]) -> None:
    connection.execute(society.insert(), society_rows(connection, societies))
