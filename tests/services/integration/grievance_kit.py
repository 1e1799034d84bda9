"""What the grievance tests share: a registry and a grievance service on their own
PostgreSQL databases over the real broker, societies placed under a registrar's office,
and proxies acting as a citizen, an office's staff or a case worker.

The fixture reaches every test module through this directory's conftest.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from services.common.migrate import upgrade
from services.grievance.cases import rollup
from services.grievance.service import GrievanceService
from services.registry.service import RegistryService
from tests.perf.bench_registry_members import insert_societies


def complaint(society_id: str | None, **overrides) -> dict[str, Any]:
    body = {"complainant_type": "member", "against_type": "society",
            "society_id": society_id, "category": "accounts_and_dividend",
            "subject": "Dividend for 2024-25 not paid",
            "description": "The dividend declared at the AGM has not been credited.",
            "language": "hi"}
    body.update(overrides)
    return body


@dataclass
class GrievanceStack:
    registry_url: str
    grievance_url: str
    rpc_proxy: Any

    def as_role(self, role: str, scope: str | None = None, actor_id: str | None = None):
        context = {"actor_id": actor_id or f"{role}-{uuid.uuid4().hex[:8]}",
                   "actor_role": role, "request_id": uuid.uuid4().hex}
        if scope:
            context["actor_scope"] = scope
        return self.rpc_proxy(**context).grievance

    def citizen(self, actor_id: str = "citizen-1"):
        return self.as_role("citizen", actor_id=actor_id)

    def officer(self, office_id: str = "mp", actor_id: str = "do-1",
                role: str = "dealing_officer"):
        return self.as_role(role, f"office:{office_id}", actor_id)

    @property
    def system(self):
        return self.rpc_proxy().grievance

    def add_society(self, office_id: str = "mp", kind: str = "credit",
                    name: str = "Sahyog Multi State Credit Cooperative Society") -> str:
        society_id = uuid.uuid4().hex[:12]
        engine = create_engine(self.registry_url)
        try:
            with engine.begin() as connection:
                insert_societies(connection, [(society_id, f"MSCS/CR/{society_id}", name)])
                connection.execute(text(
                    "UPDATE society SET type = :t, office_id = :o WHERE id = :i"),
                    {"t": kind, "o": office_id, "i": society_id})
        finally:
            engine.dispose()
        return society_id

    def add_members(self, society_id: str, count: int) -> list[str]:
        """Members admitted through the registry: their membership numbers, M0001..."""
        numbers = []
        registry = self.rpc_proxy().registry
        for i in range(1, count + 1):
            number = f"M{i:04d}"
            registry.add_member(payload={
                "society_id": society_id, "membership_number": number,
                "name": f"Member {number}", "category": "individual",
                "admission_date": "2015-06-01", "phone": f"98{i:08d}",
                "email": f"{number.lower()}@example.in", "language": "hi"})
            numbers.append(number)
        return numbers

    def rebuild_rollup(self) -> None:
        """The monthly roll-up filled again from the stored cases (after cases are
        written with SQL, which the service's roll-up does not see)."""
        engine = create_engine(self.grievance_url)
        try:
            with engine.begin() as connection:
                rollup.rebuild(connection)
        finally:
            engine.dispose()

    def sql(self, statement: str, **params) -> list[Any]:
        engine = create_engine(self.grievance_url)
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement), params)
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()


@pytest.fixture
def grievance_stack(pg_database, containers, rpc_proxy) -> GrievanceStack:
    registry_url = pg_database("registry")
    upgrade("registry", registry_url)
    containers(RegistryService, registry_url)
    grievance_url = pg_database("grievance")
    upgrade("grievance", grievance_url)
    containers(GrievanceService, grievance_url)
    yield GrievanceStack(registry_url, grievance_url, rpc_proxy)
