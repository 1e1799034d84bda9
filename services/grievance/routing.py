"""Where a new grievance goes: the office of the society it is about (the registry's
answer, nearest office first), at that office's grievance cell; a complaint about a
housing society (or in the housing category) goes to the monitoring cell of the
society's region instead (seed 001: special cells monitor housing-society complaints).
A grievance against the portal, or naming no society, goes to the Central Registrar."""

from __future__ import annotations

from typing import Any

NATIONAL_OFFICE = "crcs"
GRIEVANCE_CELL = "grievance_cell"
MONITORING_CELL = "monitoring_cell"


def route(society: dict[str, Any] | None, office_ids: list[str],
          category: str) -> tuple[str, list[str], str]:
    """(office_id, office chain, desk)."""
    if society is None or not office_ids:
        return NATIONAL_OFFICE, [NATIONAL_OFFICE], GRIEVANCE_CELL
    housing = category == "housing" or (society.get("type") or "") == "housing"
    return office_ids[0], list(office_ids), MONITORING_CELL if housing else GRIEVANCE_CELL


def office_chain(registry: Any, office_id: str, depth: int = 8) -> list[str]:
    """The office and every office above it, nearest first, from the registry's
    ``get_office`` (an unknown office is the registry's 404)."""
    chain: list[str] = []
    current: str | None = office_id
    while current is not None and len(chain) < depth:
        found = registry.get_office(payload={"office_id": current})
        chain.append(found["id"])
        current = found.get("parent_id")
    return chain
