"""The audit trail through the real gateway, the registry and the documents service as
processes on the real broker and PostgreSQL: a society's trail is read by its own office,
the state office above it and its representative, and is not there (404) for the
neighbouring district or another society; an office reads what was done under it; a
registrar reads their own actions; an administrator's check of the registry's chain
against the anchor documents keeps says ok, then truncated once the newest entries are
deleted behind the service's back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.e2e.harness import DomainStack, free_port, query_scalar, wait_until

FORM = {
    "name": "Narmada Dugdh Sahakari Sanstha", "address": "12 Hamidia Road, Bhopal 462001",
    "state": "Madhya Pradesh", "district": "Bhopal", "area_of_operation": ["Madhya Pradesh"],
    "type": "dairy", "board_seats": {"general": 16, "women": 2, "sc_st": 1},
    "office_bearers": [{"role": "Chairman", "name": "R. Patel"}],
    "contacts": {"email": "office@narmada.example", "phone": "+91 755 2400000",
                 "language": "en"},
    "bye_law_document_ids": ["doc-narmada-bye-laws"],
}
INDORE = {"id": "mp-indore", "name": "Deputy Registrar, Indore", "level": "district",
          "parent_id": "mp", "state": "Madhya Pradesh", "district": "Indore",
          "number_format": "MP/IDR/{seq}/{year}"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[DomainStack]:
    work = tmp_path_factory.mktemp("audit-stack")
    running = DomainStack(work, "documents", DATA_DIR=str(work),
                          REGISTRY_AUDIT_ANCHOR_SECONDS="1",
                          DOCUMENTS_AUDIT_ANCHOR_SECONDS="1",
                          DOCUMENTS_DATA_PORT=str(free_port()),
                          DOCUMENTS_FILES_DIR=str(work / "files"),
                          DOCUMENTS_STORE="filesystem")
    try:
        yield running.start()
    finally:
        running.close()


@pytest.fixture(scope="module")
def registered(stack):
    """A society registered through the gateway under the Bhopal office."""
    admin = stack.token("administrator")
    assert stack.http.post("/v1/offices", headers=admin, json=INDORE).status_code in (200, 201)
    applicant = stack.token("applicant")
    created = stack.http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": "mp-bhopal", "data": FORM,
        "applicant": {"name": "Rekha Patel", "email": "rekha@example.in", "language": "en"}})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    stack.http.post(f"/v1/applications/{app_id}/promoters", headers=applicant, json={
        "name": "Rekha Patel", "aadhaar_number": "456789012345", "otp": "123456"})
    assert stack.http.post(f"/v1/applications/{app_id}/submit",
                           headers=applicant).status_code == 200
    bhopal = stack.token("registrar", "office", "mp-bhopal")
    assert stack.http.post(f"/v1/applications/{app_id}/take-up",
                           headers=bhopal).status_code == 200
    approved = stack.http.post(f"/v1/applications/{app_id}/approve", headers=bhopal)
    assert approved.status_code == 200, approved.text
    return {"society_id": approved.json()["society_id"], "application_id": app_id,
            "admin": admin, "bhopal": bhopal}


def test_a_societys_trail_for_its_office_and_its_people_only(stack, registered):
    society_id = registered["society_id"]
    path = f"/v1/societies/{society_id}/audit"
    state = stack.token("dealing_officer", "office", "mp")
    own = stack.token("society_representative", "society", society_id)
    for reader in (registered["bhopal"], state, own):
        trail = stack.http.get(path, headers=reader)
        assert trail.status_code == 200, trail.text
        entries = trail.json()["items"]
        assert entries[0]["action"] == "application_approve"
        assert entries[0]["actor_id"] == registered["bhopal"]["X-Account-Id"]
        assert entries[-1]["action"] == "application_created"
        assert {e["entity_id"] for e in entries} == {registered["application_id"]}
    for outsider in (stack.token("registrar", "office", "mp-indore"),
                     stack.token("society_representative", "society", "someone-else")):
        refused = stack.http.get(path, headers=outsider)
        assert refused.status_code == 404, refused.text
    # The society's auditor reads its records, not who decided what on it.
    assert stack.http.get(path, headers=stack.token("auditor", "society",
                                                    society_id)).status_code == 403
    assert stack.http.get(path).status_code == 401
    # Filters and pages, as the other audit routes.
    created = stack.http.get(path, headers=state, params={"action": "application_created"})
    assert [e["action"] for e in created.json()["items"]] == ["application_created"]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert stack.http.get(path, headers=state, params={"since": later}).json()["items"] == []
    first = stack.http.get(path, headers=state, params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = stack.http.get(path, headers=state, params={
        "limit": 1, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 1 and second["items"][0] != first["items"][0]


def test_an_offices_trail_and_ones_own_actions(stack, registered):
    bhopal = registered["bhopal"]
    under = stack.http.get("/v1/offices/mp-bhopal/audit", headers=bhopal)
    assert under.status_code == 200, under.text
    assert registered["application_id"] in {e["entity_id"] for e in under.json()["items"]}
    state = stack.token("registrar", "office", "mp")
    assert stack.http.get("/v1/offices/mp-bhopal/audit", headers=state).status_code == 200
    for refused, reader in (("/v1/offices/mp-bhopal/audit",
                             stack.token("registrar", "office", "mp-indore")),
                            ("/v1/offices/mp/audit", bhopal)):  # not the office above
        assert stack.http.get(refused, headers=reader).status_code == 404
    mine = stack.http.get("/v1/me/audit/registry", headers=bhopal)
    assert mine.status_code == 200, mine.text
    actions = [e["action"] for e in mine.json()["items"]]
    assert actions[:2] == ["application_approve", "application_take_up"]
    assert {e["actor_id"] for e in mine.json()["items"]} == {bhopal["X-Account-Id"]}


def test_the_admin_check_reports_a_deleted_tail(stack, registered):
    admin = registered["admin"]
    path = "/v1/admin/audit/registry/verify"

    def checked():
        answer = stack.http.get(path, headers=admin)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return body if body["status"] == "ok" else None

    report = wait_until(checked, 30, "the registry's head to be anchored")
    anchor = report["anchor"]
    assert anchor["last_id"] == query_scalar(stack.registry_url,
                                             "SELECT max(id) FROM audit_entry")
    assert stack.http.get(path, headers=registered["bhopal"]).status_code == 403

    engine = create_engine(stack.registry_url, poolclass=NullPool)
    try:
        with engine.begin() as connection:  # as the database owner, trigger off
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text("DELETE FROM audit_entry WHERE id > :i"),
                               {"i": anchor["last_id"] - 2})
    finally:
        engine.dispose()
    truncated = stack.http.get(path, headers=admin).json()
    assert (truncated["status"], truncated["ok"]) == ("truncated", False)
    assert truncated["expected_hash"] == anchor["last_hash"]
    assert truncated["found_hash"] is None
    assert f"entry #{anchor['last_id']}" in truncated["reason"]
