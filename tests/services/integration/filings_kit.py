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
from kombu import Connection, Exchange, Producer
from nameko.exceptions import RemoteError
from sqlalchemy import create_engine, text

from services.common.migrate import upgrade
from services.common.topology import SUBSCRIPTIONS, declare_all
from services.filings.service import FilingsService
from services.registry.service import RegistryService
from tests.perf.bench_registry_members import insert_societies
from tests.support.broker import AMQP_URI


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

    def register(self, name: str = "Berasia Krishak Sahakari Samiti", *,
                 registered_on: str = "2020-06-01", kind: str = "pacs",
                 office_id: str = "mp-bhopal", state: str = "Madhya Pradesh") -> str:
        """A society in the registry, announced as the registry announces a registration
        (``society_registered``); answers once the filings roster holds it."""
        society_id = self.add_society(name, office_id=office_id, state=state)
        event = {"society_id": society_id, "registration_number": f"MP/BPL/{society_id}",
                 "registration_date": registered_on, "name": name, "type": kind,
                 "address": "Berasia Road, Bhopal", "state": state, "district": "Bhopal",
                 "area_of_operation": ["Bhopal"], "office_id": office_id,
                 "office_name": "Deputy Registrar, Bhopal", "application_id": str(uuid.uuid4())}
        with Connection(AMQP_URI) as connection:
            Producer(connection.channel()).publish(
                event, exchange=Exchange("registry.events", type="topic", durable=True),
                routing_key="society_registered", serializer="json", declare=[],
                headers={"nameko.event_id": str(uuid.uuid4())}, delivery_mode=2)
        for _ in range(100):
            if self.sql("SELECT 1 FROM society_roster WHERE society_id = :i", i=society_id):
                return society_id
            time.sleep(0.1)
        raise AssertionError("the roster never received the society")

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
    # The registry hears what filings announces (a society's good standing), as deployed.
    heard = [s for s in SUBSCRIPTIONS if s.consumer == "registry" and s.source == "filings"]
    declare_all(AMQP_URI, heard)
    containers(RegistryService, registry_url, subscriptions=heard)
    filings_url = pg_database("filings")
    upgrade("filings", filings_url)
    subs = [s for s in SUBSCRIPTIONS if s.consumer == "filings"]
    declare_all(AMQP_URI, subs)
    containers(FilingsService, filings_url, subscriptions=subs)
    _answering(rpc_proxy, "registry")
    return FilingsStack(registry_url, filings_url, rpc_proxy)
