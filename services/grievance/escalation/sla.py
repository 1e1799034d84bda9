"""SLAs as data: for a category of grievance and a jurisdiction (an office, or None for
the national default), the days each level has and the overall clock.

Level 0 is the office the grievance was routed to; level 1 the office above it (the
state registrar), level 2 the one above that (the Central Registrar); a chain shorter
than the levels stays at its top office. The most specific rule wins: the category at
the nearest office of the case's chain, then the category nationally, then any category
(``*``) at the nearest office, then the national default."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sla:
    level_days: tuple[int, ...]      # days each level has, level 0 first
    overall_days: int                # from receipt to resolution, whatever the level

    def __post_init__(self) -> None:
        if not self.level_days or any(d < 1 for d in self.level_days):
            raise ValueError("every level needs at least one day")
        if self.overall_days < self.level_days[0]:
            raise ValueError("the overall clock is shorter than the first level")


ANY = "*"
VERSION = 1

# (category, office id or None) -> Sla.
SLAS: dict[tuple[str, str | None], Sla] = {
    (ANY, None): Sla(level_days=(15, 7, 7), overall_days=30),
    # Seed 001: housing-society complaints are watched by the monitoring cells: shorter.
    ("housing", None): Sla(level_days=(10, 5, 5), overall_days=21),
    ("portal", None): Sla(level_days=(7, 7), overall_days=14),
    ("elections", None): Sla(level_days=(7, 3, 3), overall_days=15),
}


def sla_for(category: str | None, office_ids: list[str]) -> Sla:
    category = category or ANY
    for key in ([(category, office) for office in office_ids] + [(category, None)]
                + [(ANY, office) for office in office_ids]):
        if key in SLAS:
            return SLAS[key]
    return SLAS[(ANY, None)]


def of_case(stored: dict | None, category: str | None, office_ids: list[str]) -> Sla:
    """The SLA a case was opened under (its own copy, ``grievance_case.sla``); a case
    opened before SLAs were versioned (none stored) has the shipped rules."""
    if stored:
        return Sla(level_days=tuple(stored["level_days"]),
                   overall_days=int(stored["overall_days"]))
    return sla_for(category, office_ids)


def describe() -> dict:
    return {"version": VERSION, "items": [
        {"category": category, "office_id": office, "level_days": list(sla.level_days),
         "overall_days": sla.overall_days} for (category, office), sla in SLAS.items()]}
