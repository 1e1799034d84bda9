"""What the elections tests share: a registry and an elections service on their own
PostgreSQL databases over the real broker, a society with members in the register, the
order of seed 003 (Election No. 107/2025-26) with its Annexure I programme, and the
rehearsal clock (``ELECTIONS_CLOCK=adjustable``) to stand anywhere in that programme.

The fixture reaches every test module through this directory's conftest.py.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from services.common.india import INDIA
from services.common.migrate import upgrade
from services.elections.service import ElectionsService
from services.elections.settings import elections_settings
from services.registry.service import RegistryService
from tests.perf.bench_registry_members import insert_societies

# Annexure I of seed 003, as the order gives it (India dates and hours). The seed leaves
# the office bearers' meeting and Form 19N undated: the day after the announcement.
SEED_STAGES: list[dict[str, Any]] = [
    {"stage": "provisional_list", "starts_on": "2025-11-24", "daily_from": "11:00"},
    {"stage": "objections", "starts_on": "2025-11-25", "ends_on": "2025-11-29",
     "daily_from": "11:00", "daily_to": "15:00"},
    {"stage": "objection_scrutiny", "starts_on": "2025-12-01", "ends_on": "2025-12-06",
     "daily_from": "11:00", "daily_to": "15:00"},
    {"stage": "final_list", "starts_on": "2025-12-06", "daily_from": "17:00"},
    {"stage": "nominations", "starts_on": "2025-12-08", "ends_on": "2025-12-15",
     "daily_from": "11:00", "daily_to": "15:00"},
    {"stage": "nomination_display", "starts_on": "2025-12-15", "daily_from": "17:00"},
    {"stage": "nomination_scrutiny", "starts_on": "2025-12-16", "daily_from": "11:00"},
    {"stage": "valid_nominations", "starts_on": "2025-12-16", "daily_from": "17:00"},
    {"stage": "withdrawal", "starts_on": "2025-12-17", "daily_from": "11:00",
     "daily_to": "15:00"},
    {"stage": "contesting_list", "starts_on": "2025-12-17", "daily_from": "17:00"},
    {"stage": "poll", "starts_on": "2026-01-04", "daily_from": "08:00", "daily_to": "16:00"},
    {"stage": "counting", "starts_on": "2026-01-07", "daily_from": "08:00"},
    {"stage": "form_19m", "starts_on": "2026-01-07"},
    {"stage": "board_declaration", "starts_on": "2026-01-12"},
    {"stage": "ob_nominations", "starts_on": "2026-01-15", "daily_from": "09:00",
     "daily_to": "11:30"},
    {"stage": "ob_scrutiny", "starts_on": "2026-01-15", "daily_from": "12:30",
     "daily_to": "14:00"},
    {"stage": "ob_withdrawal", "starts_on": "2026-01-15", "daily_from": "14:00",
     "daily_to": "16:00"},
    {"stage": "ob_contesting_list", "starts_on": "2026-01-15", "daily_from": "16:00"},
    {"stage": "ob_meeting", "starts_on": "2026-01-16", "daily_from": "11:00"},
    {"stage": "form_19n", "starts_on": "2026-01-16"},
    {"stage": "ob_declaration", "starts_on": "2026-01-16"},
]

# 31 booths in Maharashtra and 4 in Karnataka; voters spread over them.
SEED_BOOTHS = (
    [{"number": n, "location": f"Booth {n}, Kolhapur", "district": "Kolhapur",
      "state": "Maharashtra", "voters_assigned": 900} for n in range(1, 32)]
    + [{"number": n, "location": f"Booth {n}, Belagavi", "district": "Belagavi",
        "state": "Karnataka", "voters_assigned": 700} for n in range(32, 36)]
)


def seed_order(society_id: str, **overrides) -> dict[str, Any]:
    order = {
        "number": f"{uuid.uuid4().int % 900 + 100}/2025-26",
        "order_ref": "CEA-12011/99/2025", "order_date": "2025-09-19",
        "society_id": society_id,
        "returning_officer": {"name": "District Collector Kolhapur",
                              "designation": "District Collector/Magistrate",
                              "email": "collector.kolhapur@maharashtra.gov.in"},
        "seats": {"general": 16, "women": 2, "sc_st": 1},
        "posts": ["chairman", "vice_chairman"],
        "area_states": ["Maharashtra", "Karnataka"],
        "booths": copy.deepcopy(SEED_BOOTHS),
        "stages": copy.deepcopy(SEED_STAGES),
    }
    order.update(overrides)
    return order


def ist(text_value: str) -> datetime:
    """'2025-11-25 11:30' in India time."""
    return datetime.fromisoformat(text_value).replace(tzinfo=INDIA)


@dataclass
class ElectionStack:
    registry_url: str
    elections_url: str
    rpc_proxy: Any

    def as_role(self, role: str, scope: str | None = None, actor_id: str | None = None):
        """The elections proxy acting as ``role`` (``scope`` e.g. ``election:<id>``)."""
        context = {"actor_id": actor_id or f"{role}-{uuid.uuid4().hex[:8]}",
                   "actor_role": role, "request_id": uuid.uuid4().hex}
        if scope:
            context["actor_scope"] = scope
        return self.rpc_proxy(**context).elections

    @property
    def cea(self):
        return self.as_role("cea_official", actor_id="cea-1")

    def ro(self, election_id: str, actor_id: str = "ro-1"):
        return self.as_role("returning_officer", f"election:{election_id}", actor_id)

    def aro(self, election_id: str, actor_id: str = "aro-1"):
        return self.as_role("assistant_returning_officer", f"election:{election_id}",
                            actor_id)

    @property
    def system(self):
        return self.rpc_proxy().elections

    @property
    def registry(self):
        return self.rpc_proxy().registry

    def set_clock(self, at: datetime | str) -> None:
        moment = ist(at) if isinstance(at, str) else at
        self.cea.set_clock(payload={"at": moment.isoformat()})

    def add_society(self, name: str = "Shri Veershaiv Cooperative Bank Limited",
                    kind: str = "bank") -> str:
        society_id = uuid.uuid4().hex[:12]
        engine = create_engine(self.registry_url)
        try:
            with engine.begin() as connection:
                insert_societies(connection, [(society_id, f"MSCS/CR/{society_id}", name)])
                connection.execute(text(
                    "UPDATE society SET type = :t, address = :a WHERE id = :i"),
                    {"t": kind, "a": "517, A/1, E Ward, Tararani Chowk, Kolhapur 416001",
                     "i": society_id})
        finally:
            engine.dispose()
        return society_id

    def add_members(self, society_id: str, count: int, *, firms: int = 0,
                    admitted: date = date(2015, 6, 1), prefix: str = "M") -> list[str]:
        """Members admitted through the registry (``firms`` of them firms): their
        membership numbers, M0001..."""
        numbers = []
        registry = self.registry
        for i in range(1, count + 1):
            number = f"{prefix}{i:04d}"
            registry.add_member(payload={
                "society_id": society_id, "membership_number": number,
                "name": f"Member {number}",
                "category": "firm" if i > count - firms else "individual",
                "admission_date": admitted.isoformat(), "phone": f"98{i:08d}",
                "email": f"{number.lower()}@example.in", "language": "hi"})
            numbers.append(number)
        return numbers

    def sql(self, statement: str, **params) -> list[Any]:
        engine = create_engine(self.elections_url)
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement), params)
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()


@pytest.fixture
def election_stack(pg_database, containers, rpc_proxy, monkeypatch) -> ElectionStack:
    monkeypatch.setenv("ELECTIONS_CLOCK", "adjustable")
    elections_settings.cache_clear()
    registry_url = pg_database("registry")
    upgrade("registry", registry_url)
    containers(RegistryService, registry_url)
    elections_url = pg_database("elections")
    upgrade("elections", elections_url)
    containers(ElectionsService, elections_url)
    yield ElectionStack(registry_url, elections_url, rpc_proxy)
    elections_settings.cache_clear()
