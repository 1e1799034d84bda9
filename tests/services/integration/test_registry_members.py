"""The member register over the real broker and PostgreSQL: admissions, changes and
cessations with their history, snapshots as on a date, contacts for mass communication,
chunked CSV imports (all or nothing), scope, idempotency, audit and events."""

from __future__ import annotations

import uuid

import pytest
from nameko.exceptions import RemoteError
from sqlalchemy import create_engine, func, select, text

from services.common.contracts.registry_members import (
    MemberContactPageV1,
    MemberImportJobV1,
    MemberPageV1,
    MemberV1,
)
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.migrate import upgrade
from services.registry.members.tables import member, member_import_row
from services.registry.service import RegistryService
from tests.perf.bench_registry_members import insert_societies

pytestmark = pytest.mark.usefixtures("registry")


@pytest.fixture
def registry(pg_database, containers, request):
    url = pg_database("registry")
    upgrade("registry", url)
    containers(RegistryService, url)
    request.node.registry_url = url
    return url


def add_society(url: str, name: str = "Bank") -> str:
    society_id = uuid.uuid4().hex[:12]
    engine = create_engine(url)
    with engine.begin() as connection:
        insert_societies(connection, [(society_id, f"MSCS/CR/{society_id}", name)])
    engine.dispose()
    return society_id


def scalar(url: str, statement):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(statement).scalar_one()
    finally:
        engine.dispose()


def member_payload(society_id: str, number: str, **extra):
    return {"society_id": society_id, "membership_number": number, "name": f"Member {number}",
            "category": "individual", "admission_date": "2020-04-01", **extra}


def test_a_member_is_admitted_updated_and_ceased_with_history(registry, rpc_proxy):
    society_id = add_society(registry)
    proxy = rpc_proxy(request_id=uuid.uuid4().hex).registry
    admitted = proxy.add_member(payload=member_payload(society_id, "A-1", phone="9876543210",
                                                       category="firm"))
    assert MemberV1.conforms(admitted)
    assert admitted["status"] == "active" and admitted["category"] == "firm"
    member_id = admitted["member_id"]

    changed = proxy.update_member(payload={"society_id": society_id, "member_id": member_id,
                                           "name": "Renamed Firm",
                                           "effective_date": "2023-01-10"})
    assert changed["name"] == "Renamed Firm" and changed["valid_from"] == "2023-01-10"
    ceased = proxy.cease_member(payload={"society_id": society_id, "member_id": member_id,
                                         "cessation_date": "2024-06-30", "reason": "resigned"})
    assert ceased["status"] == "ceased" and ceased["cessation_date"] == "2024-06-30"

    def as_on(day, status="active"):
        return proxy.list_members(payload={"society_id": society_id, "as_on": day,
                                           "filters": {"status": status}})["items"]

    assert as_on("2020-03-31") == []                                   # before admission
    assert [m["name"] for m in as_on("2022-12-31")] == ["Member A-1"]  # old name kept
    assert [m["name"] for m in as_on("2023-01-10")] == ["Renamed Firm"]
    assert [m["name"] for m in as_on("2024-06-29")] == ["Renamed Firm"]
    assert as_on("2024-06-30") == []                                   # ceased on D: out
    assert [m["status"] for m in as_on("2024-06-30", "ceased")] == ["ceased"]
    # nothing was deleted: three versions, the member still found by id
    assert scalar(registry, select(func.count()).select_from(member)
                  .where(member.c.member_id == member_id)) == 3
    assert proxy.get_member(payload={"society_id": society_id,
                                     "member_id": member_id})["status"] == "ceased"
    audit = proxy.verify_audit_chain(payload={})
    assert audit["ok"] and audit["entries_checked"] == 3


def test_changes_are_refused_with_reasons(registry, rpc_proxy):
    society_id = add_society(registry)
    proxy = rpc_proxy(request_id=uuid.uuid4().hex).registry
    with pytest.raises(InvalidInput) as bad:
        proxy.add_member(payload={"society_id": society_id, "membership_number": "",
                                  "name": "x" * 201, "category": "club",
                                  "admission_date": "2999-01-01", "phone": "12",
                                  "email": "nobody", "language": "xx"})
    assert set(bad.value.fields) == {"membership_number", "name", "category",
                                     "admission_date", "phone", "email", "language"}
    assert bad.value.fields["admission_date"] == "must not be in the future"
    with pytest.raises(NotFound):
        proxy.add_member(payload=member_payload("no-such-society", "1"))
    first = proxy.add_member(payload=member_payload(society_id, "1"))
    with pytest.raises(Conflict):
        proxy.add_member(payload=member_payload(society_id, "1"))
    with pytest.raises(InvalidInput) as early:
        proxy.cease_member(payload={"society_id": society_id,
                                    "member_id": first["member_id"],
                                    "cessation_date": "2019-01-01", "reason": "died"})
    assert early.value.fields == {"cessation_date": "must be on or after 2020-04-01"}
    proxy.cease_member(payload={"society_id": society_id, "member_id": first["member_id"],
                                "cessation_date": "2021-01-01", "reason": "died"})
    with pytest.raises(Conflict):
        proxy.update_member(payload={"society_id": society_id,
                                     "member_id": first["member_id"], "name": "Ghost"})
    with pytest.raises(NotFound):
        proxy.get_member(payload={"society_id": society_id, "member_id": "no-such"})


def test_scope_idempotency_and_events(registry, rpc_proxy):
    mine, theirs = add_society(registry), add_society(registry)
    rep = rpc_proxy(request_id=uuid.uuid4().hex, actor_id="rep-1",
                    actor_role="society_representative",
                    actor_scope=f"society:{mine}", idempotency_key="admit-1").registry
    first = rep.add_member(payload=member_payload(mine, "7"))
    again = rep.add_member(payload=member_payload(mine, "7"))
    assert again == first
    # Another society's register is answered as if it did not exist.
    with pytest.raises(NotFound):
        rep.list_members(payload={"society_id": theirs})
    with pytest.raises(NotFound):
        rep.list_member_contacts(payload={"society_id": theirs})
    outbox = RegistryService.db.tables.outbox
    assert scalar(registry, select(func.count()).select_from(outbox)
                  .where(outbox.c.event_type == "member_admitted")) == 1


def test_the_office_over_the_society_keeps_its_register_and_no_other(registry, rpc_proxy):
    society_id = add_society(registry)
    engine = create_engine(registry)
    with engine.begin() as connection:
        connection.execute(text("UPDATE society SET office_id = 'mp-bhopal' WHERE id = :i"),
                           {"i": society_id})
    engine.dispose()

    def caller(role: str, scope: str | None):
        return rpc_proxy(request_id=uuid.uuid4().hex, actor_id=f"{role}-1", actor_role=role,
                         actor_scope=scope).registry

    # The state office reaches its district's society: it admits and reads members.
    state = caller("registrar", "office:mp")
    admitted = state.add_member(payload=member_payload(society_id, "11"))
    assert caller("dealing_officer", "office:mp-bhopal").get_member(payload={
        "society_id": society_id, "member_id": admitted["member_id"]})["name"] == "Member 11"
    assert caller("registrar", None).list_members(
        payload={"society_id": society_id})["items"][0]["membership_number"] == "11"
    # Another state's office, an unscoped representative, an auditor: as if absent.
    for role, scope in (("registrar", "office:wb"), ("society_representative", None),
                        ("auditor", f"society:{society_id}")):
        with pytest.raises(NotFound):
            caller(role, scope).list_members(payload={"society_id": society_id})
        with pytest.raises(NotFound):
            caller(role, scope).add_member(payload=member_payload(society_id, "12"))
    assert [m["membership_number"] for m in caller("registrar", None).list_members(
        payload={"society_id": society_id})["items"]] == ["11"]


def test_services_check_which_numbers_are_active_members(registry, rpc_proxy):
    society_id = add_society(registry)
    office = rpc_proxy(request_id=uuid.uuid4().hex, actor_id="do-1",
                       actor_role="dealing_officer").registry
    for number in ("M1", "M2", "M3"):
        office.add_member(payload=member_payload(society_id, number))
    ceased = office.search_members(payload={"society_id": society_id, "q": "M3"})["items"][0]
    office.cease_member(payload={"society_id": society_id, "member_id": ceased["member_id"],
                                 "cessation_date": "2024-01-01", "reason": "resigned"})
    # Whoever the caller (here a citizen, who may not read the register), only the
    # numbers come back: those active now, in the order asked.
    citizen = rpc_proxy(request_id=uuid.uuid4().hex, actor_id="citizen-1",
                        actor_role="citizen", actor_scope="account:citizen-1").registry
    answer = citizen.active_membership_numbers(payload={
        "society_id": society_id, "membership_numbers": ["M2", "M9", "M3", "M1"]})
    assert answer == {"society_id": society_id, "active": ["M2", "M1"]}
    with pytest.raises(NotFound):
        citizen.active_membership_numbers(payload={"society_id": "nowhere",
                                                   "membership_numbers": ["M1"]})
    with pytest.raises(NotFound):
        citizen.list_members(payload={"society_id": society_id})


def test_pages_and_contacts_walk_the_register_in_order(registry, rpc_proxy):
    society_id = add_society(registry)
    proxy = rpc_proxy(request_id=uuid.uuid4().hex).registry
    for number in ("03", "01", "05", "02", "04"):
        proxy.add_member(payload=member_payload(society_id, number,
                                                email=f"m{number}@example.in",
                                                category="firm" if number == "04"
                                                else "individual"))
    seen, after = [], None
    while True:
        page = proxy.list_member_contacts(payload={"society_id": society_id, "limit": 2,
                                                   "after": after})
        assert MemberContactPageV1.conforms(page)
        seen += [item["membership_number"] for item in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == ["01", "02", "03", "04", "05"]
    firms = proxy.list_member_contacts(payload={"society_id": society_id,
                                                "filters": {"category": "firm"}})
    assert [item["email"] for item in firms["items"]] == ["m04@example.in"]
    found = proxy.search_members(payload={"society_id": society_id, "q": "member 0"})
    assert MemberPageV1.conforms(found) and len(found["items"]) == 5
    with pytest.raises(InvalidInput) as bad:
        proxy.list_members(payload={"society_id": society_id, "limit": 5001,
                                    "after": "%%%"})
    assert set(bad.value.fields) == {"limit"}
    with pytest.raises(InvalidInput):
        proxy.list_members(payload={"society_id": society_id, "after": "%%%"})


def _rows(start_line: int, rows: list[dict]):
    return [{"line": start_line + i, "cells": cells} for i, cells in enumerate(rows)]


def _cells(number: str, **extra) -> dict:
    return {"membership_number": number, "name": f"Imported {number}",
            "category": "individual", "admission_date": "2019-03-31", **extra}


def test_an_import_with_bad_rows_applies_nothing_unless_asked(registry, rpc_proxy):
    society_id = add_society(registry)
    proxy = rpc_proxy(request_id=uuid.uuid4().hex).registry
    proxy.add_member(payload=member_payload(society_id, "EXIST"))
    job = proxy.begin_member_import(payload={"society_id": society_id})
    assert MemberImportJobV1.conforms(job) and job["status"] == "open"
    chunk = proxy.add_member_import_rows(payload={
        "society_id": society_id, "job_id": job["job_id"],
        "rows": _rows(2, [_cells("1"), _cells("2", category="club"), _cells("3")])})
    assert chunk["bad_rows"] == [{"line": 3, "field": "category",
                                  "reason": chunk["bad_rows"][0]["reason"]}]
    proxy.add_member_import_rows(payload={
        "society_id": society_id, "job_id": job["job_id"],
        "rows": _rows(5, [_cells("1"), _cells("EXIST"), _cells("4")])})
    rejected = proxy.finish_member_import(payload={"society_id": society_id,
                                                   "job_id": job["job_id"]})
    assert rejected["status"] == "rejected" and rejected["imported"] == 0
    assert rejected["bad_row_count"] == 3
    assert [(b["line"], b["field"]) for b in rejected["bad_rows"]] == [
        (3, "category"), (5, "membership_number"), (6, "membership_number")]
    assert rejected["bad_rows"][1]["reason"] == "membership number repeats line 2"
    assert scalar(registry, select(func.count()).select_from(member)) == 1
    assert scalar(registry, select(func.count()).select_from(member_import_row)) == 0
    with pytest.raises(Conflict):
        proxy.finish_member_import(payload={"society_id": society_id,
                                            "job_id": job["job_id"]})

    job = proxy.begin_member_import(payload={"society_id": society_id})
    proxy.add_member_import_rows(payload={
        "society_id": society_id, "job_id": job["job_id"],
        "rows": _rows(2, [_cells("1"), _cells("2", category="club"), _cells("1"),
                          _cells("EXIST"), _cells("3", phone="+919876543210")])})
    done = proxy.finish_member_import(payload={"society_id": society_id,
                                               "job_id": job["job_id"],
                                               "skip_bad_rows": True})
    assert done["status"] == "imported" and done["imported"] == 2
    assert done["bad_row_count"] == 3
    numbers = [m["membership_number"] for m in proxy.list_members(
        payload={"society_id": society_id})["items"]]
    assert numbers == ["1", "3", "EXIST"]
    outbox = RegistryService.db.tables.outbox
    assert scalar(registry, select(func.count()).select_from(outbox)
                  .where(outbox.c.event_type == "members_imported")) == 1


def test_an_import_of_another_society_is_not_found(registry, rpc_proxy):
    mine, theirs = add_society(registry), add_society(registry)
    proxy = rpc_proxy(request_id=uuid.uuid4().hex).registry
    job = proxy.begin_member_import(payload={"society_id": mine})
    with pytest.raises(NotFound):
        proxy.finish_member_import(payload={"society_id": theirs, "job_id": job["job_id"]})
    with pytest.raises((InvalidInput, RemoteError)):
        proxy.add_member_import_rows(payload={"society_id": mine, "job_id": job["job_id"],
                                              "rows": []})
