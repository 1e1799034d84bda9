"""What the filings tests share: a registry and a filings service on their own
PostgreSQL databases over the real broker, societies in the register under an office,
and callers acting as a society's representative or an office's staff.

The fixture reaches every test module through this directory's conftest.py.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from nameko.exceptions import RemoteError
from sqlalchemy import create_engine, text

from services.common.migrate import upgrade
from services.filings.service import FilingsService
from services.registry.service import RegistryService
from tests.perf.bench_registry_members import insert_societies


@dataclass
class FilingsStack:
    registry_url: str
    filings_url: str
    rpc_proxy: Any

    def as_role(self, role: str, scope: str | None = None, actor_id: str | None = None):
        context = {"actor_id": actor_id or f"{role}-{uuid.uuid4().hex[:8]}",
                   "actor_role": role, "request_id": uuid.uuid4().hex}
        if scope:
            context["actor_scope"] = scope
        return self.rpc_proxy(**context).filings

    def representative(self, society_id: str):
        return self.as_role("society_representative", f"society:{society_id}", "rep-1")

    def staff(self, role: str = "registrar", office: str | None = None):
        return self.as_role(role, f"office:{office}" if office else None, f"{role}-1")

    @property
    def system(self):
        return self.rpc_proxy().filings

    def add_society(self, name: str = "Bhopal Nagrik Sahakari Samiti", *,
                    office_id: str = "mp-bhopal", state: str = "Madhya Pradesh") -> str:
        society_id = uuid.uuid4().hex[:12]
        engine = create_engine(self.registry_url)
        try:
            with engine.begin() as connection:
                insert_societies(connection, [(society_id, f"MSCS/CR/{society_id}", name)])
                connection.execute(text(
                    "UPDATE society SET office_id = :o, state = :s, district = 'Bhopal' "
                    "WHERE id = :i"), {"o": office_id, "s": state, "i": society_id})
        finally:
            engine.dispose()
        return society_id

    def sql(self, statement: str, **params) -> list[Any]:
        engine = create_engine(self.filings_url)
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement), params)
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()


def _answering(rpc_proxy, service: str) -> None:
    """Wait until the service's RPC queue takes calls (a fresh container declares it)."""
    for _ in range(50):
        try:
            getattr(rpc_proxy(), service).health()
            return
        except RemoteError:
            time.sleep(0.1)
    raise AssertionError(f"{service} does not answer")


@pytest.fixture
def filings_stack(pg_database, containers, rpc_proxy) -> FilingsStack:
    registry_url = pg_database("registry")
    upgrade("registry", registry_url)
    containers(RegistryService, registry_url)
    filings_url = pg_database("filings")
    upgrade("filings", filings_url)
    containers(FilingsService, filings_url)
    _answering(rpc_proxy, "registry")
    return FilingsStack(registry_url, filings_url, rpc_proxy)
