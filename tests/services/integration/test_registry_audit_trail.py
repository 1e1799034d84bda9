"""The registry's audit trail read in the registry itself (not only behind the gateway):
a society's trail (the society and its members) for its representatives and the offices
over it, an office's trail for the staff whose grant covers it, one's own actions; anyone
else is answered as if the society or office did not exist."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from services.common.errors import NotFound
from services.common.migrate import upgrade
from services.registry.service import RegistryService
from tests.perf.bench_registry_members import insert_societies


@pytest.fixture
def registry(pg_database, containers, rpc_proxy):
    url = pg_database("registry")
    upgrade("registry", url)
    containers(RegistryService, url)

    def as_role(role: str, scope: str | None = None, actor_id: str | None = None):
        context = {"actor_id": actor_id or f"{role}-{uuid.uuid4().hex[:6]}",
                   "actor_role": role, "request_id": uuid.uuid4().hex}
        if scope:
            context["actor_scope"] = scope
        return rpc_proxy(**context).registry

    return url, as_role


def society_under(url: str, office_id: str) -> str:
    society_id = uuid.uuid4().hex[:12]
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            insert_societies(connection, [(society_id, f"MSCS/CR/{society_id}", "Samiti")])
            connection.execute(text("UPDATE society SET office_id = :o WHERE id = :i"),
                               {"o": office_id, "i": society_id})
    finally:
        engine.dispose()
    return society_id


def admit(proxy, society_id: str, number: str) -> dict:
    return proxy.add_member(payload={
        "society_id": society_id, "membership_number": number, "name": f"Member {number}",
        "category": "individual", "admission_date": "2020-04-01"})


def test_a_societys_trail_in_the_registry(registry):
    url, as_role = registry
    society = society_under(url, "mp-bhopal")
    neighbour = society_under(url, "mp-bhopal")
    rep = as_role("society_representative", f"society:{society}", "rep-1")
    first = admit(rep, society, "1")
    admit(rep, society, "2")
    admit(as_role("society_representative", f"society:{neighbour}"), neighbour, "9")

    for reader in (rep, as_role("registrar", "office:mp-bhopal"),
                   as_role("dealing_officer", "office:mp"), as_role("registrar")):
        trail = reader.society_audit(payload={"society_id": society})
        assert [e["action"] for e in trail["items"]] == ["member_admitted"] * 2
        assert trail["items"][-1]["entity_id"] == first["member_id"]
        assert {e["actor_id"] for e in trail["items"]} == {"rep-1"}
    page = rep.society_audit(payload={"society_id": society, "limit": 1})
    assert len(page["items"]) == 1 and page["next_offset"] == 1
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert rep.society_audit(payload={"society_id": society, "since": later})["items"] == []
    assert rep.society_audit(payload={"society_id": society,
                                      "action": "member_ceased"})["items"] == []
    for outsider in (as_role("society_representative", f"society:{neighbour}"),
                     as_role("registrar", "office:no-such-office"),
                     as_role("auditor", f"society:{society}"),
                     as_role("applicant")):
        with pytest.raises(NotFound):
            outsider.society_audit(payload={"society_id": society})


def test_an_offices_trail_and_ones_own_actions_in_the_registry(registry):
    url, as_role = registry
    society = society_under(url, "mp-bhopal")
    rep = as_role("society_representative", f"society:{society}", "rep-7")
    admitted = admit(rep, society, "1")
    for reader in (as_role("registrar", "office:mp-bhopal"), as_role("registrar", "office:mp")):
        under = reader.office_audit(payload={"office_id": "mp-bhopal"})
        assert admitted["member_id"] in {e["entity_id"] for e in under["items"]}
    for refused, reader in (("mp", as_role("registrar", "office:mp-bhopal")),
                            ("mp-bhopal", rep), ("no-such-office", as_role("registrar"))):
        with pytest.raises(NotFound):
            reader.office_audit(payload={"office_id": refused})
    mine = rep.actor_audit(payload={})
    assert [e["entity_id"] for e in mine["items"]] == [admitted["member_id"]]
    assert as_role("registrar", "office:mp").actor_audit(payload={})["items"] == []
