"""The registry through the real gateway, both as processes on the real broker and
PostgreSQL: an applicant registers a society step by step, officers scrutinise and decide,
the society appears in the public directory; refusals come back as 401/403/404/409/422
with their reasons; two registrars approving at once make one society."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.e2e.harness import (
    Proc,
    base_env,
    free_port,
    query_rows,
    signed_in,
    start_deployed,
)
from tests.gateway.identity_kit import make_kit
from tests.support import pg
from tests.support.broker import AMQP_URI, delete_queues


class RegistryStack:
    """The registry service and the gateway as child processes, and accounts to act as."""

    def __init__(self, work: Path):
        self.work = work
        self.db_name, self.db_url = pg.create_database("e2ereg")
        self.gateway_db = f"sqlite:///{work / 'gateway.db'}"
        self.port = free_port()
        self.procs: list[Proc] = []
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=20)
        self.kit = None

    def env(self) -> dict[str, str]:
        return base_env(AMQP_URI=AMQP_URI, REGISTRY_DATABASE_URL=self.db_url,
                        REGISTRY_METRICS_PORT="0", GATEWAY_DATABASE_URL=self.gateway_db,
                        GATEWAY_HOST="127.0.0.1", GATEWAY_PORT=str(self.port),
                        GATEWAY_SERVICES="registry", GATEWAY_RPC_TIMEOUT="10",
                        GATEWAY_TRUSTED_PROXIES="127.0.0.1")

    def start(self) -> RegistryStack:
        self.procs = start_deployed(("registry",), self.env(), self.work, self.http, 60)
        self.kit = make_kit(self.gateway_db)
        return self

    def token(self, role: str, scope_kind: str | None = None,
              scope_id: str | None = None) -> dict[str, str]:
        return signed_in(self.http, self.kit, role, scope_kind, scope_id)

    def close(self) -> None:
        self.http.close()
        for proc in reversed(self.procs):
            proc.kill()
        delete_queues(["rpc-registry"])
        pg.drop_database(self.db_name)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[RegistryStack]:
    running = RegistryStack(tmp_path_factory.mktemp("registry-stack"))
    try:
        yield running.start()
    finally:
        running.close()


FORM = {
    "name": "Kaveri Multi-State Dairy Co-operative",
    "address": "7 Ring Road, Mysuru 570001", "state": "Karnataka", "district": "Mysuru",
    "area_of_operation": ["Karnataka", "Tamil Nadu"], "type": "dairy",
    "board_seats": {"general": 16, "women": 2, "sc_st": 1},
    "office_bearers": [{"role": "Chairman", "name": "K. Gowda"}],
    "contacts": {"email": "office@kaveri.example", "phone": "+91 821 2400000",
                 "language": "en"},
    "bye_law_document_ids": ["doc-kaveri-bye-laws"],
}
APPLICANT = {"name": "Kavya Gowda", "email": "kavya@example.in", "language": "en"}


def submitted(stack: RegistryStack, name: str, office_id: str = "crcs", **data) -> str:
    applicant = stack.token("applicant")
    created = stack.http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": office_id, "applicant": APPLICANT,
        "data": {**FORM, "name": name, **data}})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    verified = stack.http.post(f"/v1/applications/{app_id}/promoters", headers=applicant,
                               json={"name": "Kavya Gowda", "aadhaar_number": "456789012345",
                                     "otp": "123456"})
    assert verified.json()["verified"] is True, verified.text
    done = stack.http.post(f"/v1/applications/{app_id}/submit", headers=applicant)
    assert done.status_code == 200, done.text
    return app_id


def test_a_society_is_registered_through_the_gateway(stack):
    applicant = stack.token("applicant")
    invalid = stack.http.post("/v1/applications", headers=applicant, json={
        "kind": "merger", "office_id": "crcs", "applicant": {"name": ""}})
    assert invalid.status_code == 422
    assert set(invalid.json()["error"]["details"]["fields"]) == {"kind", "applicant.name"}

    draft = stack.http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": "crcs", "applicant": APPLICANT,
        "data": {"name": "Kaveri"}}, )
    assert draft.status_code == 201, draft.text
    app_id = draft.json()["id"]
    early = stack.http.post(f"/v1/applications/{app_id}/submit", headers=applicant)
    assert early.status_code == 422
    assert "data.address" in early.json()["error"]["details"]["fields"]
    assert "promoters" in early.json()["error"]["details"]["fields"]
    saved = stack.http.put(f"/v1/applications/{app_id}/draft", headers=applicant,
                           json={"data": FORM})
    assert saved.status_code == 200 and saved.json()["data"]["name"] == FORM["name"]
    stack.http.post(f"/v1/applications/{app_id}/promoters", headers=applicant, json={
        "name": "Kavya Gowda", "aadhaar_number": "456789012345", "otp": "123456"})
    tracker = stack.http.post(f"/v1/applications/{app_id}/submit", headers=applicant).json()
    assert tracker["stage"] == "submitted" and tracker["time_left_seconds"] > 6 * 86400

    officer = stack.token("dealing_officer", "office", "crcs")
    registrar = stack.token("registrar")
    assert stack.http.post(f"/v1/applications/{app_id}/approve",
                           headers=officer).status_code == 403  # not a registrar's role
    too_soon = stack.http.post(f"/v1/applications/{app_id}/approve", headers=registrar)
    assert too_soon.status_code == 409
    assert too_soon.json()["error"]["details"]["stage"] == "submitted"
    assert stack.http.post(f"/v1/applications/{app_id}/take-up",
                           headers=officer).status_code == 200
    hearing_at = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    hearing = stack.http.post(f"/v1/applications/{app_id}/hearing", headers=officer, json={
        "hearing_at": hearing_at, "hearing_link": "https://vc.example/room/7"})
    assert hearing.json()["hearing"]["link"] == "https://vc.example/room/7"
    approved = stack.http.post(f"/v1/applications/{app_id}/approve", headers=registrar)
    assert approved.status_code == 200, approved.text
    society_id = approved.json()["society_id"]

    # Anyone finds it in the directory and reads its basic details.
    found = stack.http.get("/v1/societies", params={"q": "kaveri multi", "type": "dairy"})
    assert found.status_code == 200
    [entry] = [i for i in found.json()["items"] if i["id"] == society_id]
    assert entry["registration_number"].startswith("MSCS/CR/")
    assert stack.http.get(f"/v1/societies/{society_id}").json()["name"] == FORM["name"]
    # Its full entry: not for anonymous callers, nor another society's representative.
    assert stack.http.get(f"/v1/societies/{society_id}/register-entry").status_code == 401
    other = stack.token("society_representative", "society", "someone-else")
    assert stack.http.get(f"/v1/societies/{society_id}/register-entry",
                          headers=other).status_code == 404
    own = stack.token("society_representative", "society", society_id)
    full = stack.http.get(f"/v1/societies/{society_id}/register-entry", headers=own)
    assert full.status_code == 200 and full.json()["contacts"]["email"] == \
        "office@kaveri.example"
    # Its bye-laws: its own representative reads every version; another society's
    # representative or auditor, and an office that is not its own, find nothing.
    bye_laws = stack.http.get(f"/v1/societies/{society_id}/bye-laws", headers=own)
    assert bye_laws.status_code == 200, bye_laws.text
    assert bye_laws.json()["current_version"] == 1
    for outsider in (other, stack.token("auditor", "society", "someone-else"),
                     stack.token("registrar", "office", "no-such-office")):
        refused = stack.http.get(f"/v1/societies/{society_id}/bye-laws", headers=outsider)
        assert refused.status_code == 404, refused.text
    assert stack.http.get(f"/v1/societies/{society_id}/bye-laws",
                          headers=stack.token("auditor", "society", society_id)).status_code == 200
    # The applicant's tracker shows every step; another applicant sees nothing.
    history = stack.http.get(f"/v1/applications/{app_id}", headers=applicant).json()
    assert [h["stage"] for h in history["history"]] == [
        "draft", "submitted", "under_scrutiny", "hearing_scheduled", "approved"]
    assert stack.http.get(f"/v1/applications/{app_id}",
                          headers=stack.token("applicant")).status_code == 404
    rows = query_rows(stack.db_url, "SELECT actor_id, actor_role FROM audit_entry "
                                    "WHERE action = 'application_approve'")
    assert [r.actor_role for r in rows] == ["registrar"]


def test_two_registrars_approving_at_once_get_one_society_and_one_409(stack):
    app_id = submitted(stack, "Tungabhadra Fisheries Co-operative")
    registrars = [stack.token("registrar") for _ in range(2)]
    stack.http.post(f"/v1/applications/{app_id}/take-up", headers=registrars[0])

    def approve(headers):
        with httpx.Client(base_url=str(stack.http.base_url), timeout=20) as client:
            return client.post(f"/v1/applications/{app_id}/approve", headers=headers)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(approve, registrars))
    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409).json()["error"]
    assert refused["details"]["stage"] == "approved"
    assert query_rows(stack.db_url, "SELECT count(*) AS n FROM society WHERE "
                                    "application_id = :a", a=app_id)[0].n == 1


def test_an_office_grant_reaches_the_societies_under_it_and_no_neighbours(stack):
    """A district's registrar acts on the societies registered under that district, the
    state office above it does too; a neighbouring district and another state find
    nothing (404), in the gateway and in the registry alike."""
    admin = stack.token("administrator")
    neighbour = {"id": "mp-indore", "name": "Deputy Registrar, Indore", "level": "district",
                 "parent_id": "mp", "state": "Madhya Pradesh", "district": "Indore",
                 "number_format": "MP/IDR/{seq}/{year}"}
    assert stack.http.post("/v1/offices", headers=stack.token("registrar"),
                           json=neighbour).status_code == 403
    bad = stack.http.post("/v1/offices", headers=admin, json={**neighbour, "level": "block"})
    assert bad.status_code == 422 and "level" in bad.json()["error"]["details"]["fields"]
    made = stack.http.post("/v1/offices", headers=admin, json=neighbour)
    assert made.status_code in (200, 201), made.text
    assert stack.http.get("/v1/offices/mp-indore").json()["parent_id"] == "mp"

    applicant = stack.token("applicant")
    created = stack.http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": "mp-bhopal", "applicant": APPLICANT,
        "data": {**FORM, "name": "Narmada Dugdh Sahakari Sanstha", "state": "Madhya Pradesh",
                 "district": "Bhopal", "address": "12 Hamidia Road, Bhopal 462001",
                 "area_of_operation": ["Madhya Pradesh"]}})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    stack.http.post(f"/v1/applications/{app_id}/promoters", headers=applicant, json={
        "name": "Kavya Gowda", "aadhaar_number": "456789012345", "otp": "123456"})
    assert stack.http.post(f"/v1/applications/{app_id}/submit",
                           headers=applicant).status_code == 200

    bhopal = stack.token("registrar", "office", "mp-bhopal")
    indore = stack.token("registrar", "office", "mp-indore")
    state = stack.token("dealing_officer", "office", "mp")
    bengal = stack.token("registrar", "office", "wb")
    # The application: its own district and the state see it; the neighbour does not.
    assert stack.http.get(f"/v1/applications/{app_id}", headers=indore).status_code == 404
    assert stack.http.post(f"/v1/applications/{app_id}/take-up",
                           headers=indore).status_code == 404
    assert stack.http.get(f"/v1/applications/{app_id}", headers=state).status_code == 200
    assert stack.http.post(f"/v1/applications/{app_id}/take-up",
                           headers=bhopal).status_code == 200
    approved = stack.http.post(f"/v1/applications/{app_id}/approve", headers=bhopal)
    assert approved.status_code == 200, approved.text
    society_id = approved.json()["society_id"]

    for path in (f"/v1/societies/{society_id}/register-entry",
                 f"/v1/societies/{society_id}/bye-laws",
                 f"/v1/societies/{society_id}/members"):
        for reaching in (bhopal, state):
            answer = stack.http.get(path, headers=reaching)
            assert answer.status_code == 200, (path, answer.text)
        for outside in (indore, bengal):
            answer = stack.http.get(path, headers=outside)
            assert answer.status_code == 404, (path, answer.text)
    listed = stack.http.get("/v1/applications", headers=indore,
                            params={"office_id": "mp-bhopal"})
    assert app_id not in [a["id"] for a in listed.json().get("items", [])]

    # Who decided what on the application: its office reads the trail, newest first; the
    # neighbour finds nothing, the applicant follows the tracker instead.
    trail = stack.http.get(f"/v1/applications/{app_id}/audit", headers=bhopal)
    assert trail.status_code == 200, trail.text
    entries = trail.json()["items"]
    assert entries[0]["action"] == "application_approve"
    assert entries[0]["actor_role"] == "registrar"
    assert entries[0]["actor_id"] == bhopal["X-Account-Id"]
    assert entries[-1]["action"] == "application_created"
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)
    assert stack.http.get(f"/v1/applications/{app_id}/audit",
                          headers=indore).status_code == 404
    assert stack.http.get(f"/v1/applications/{app_id}/audit",
                          headers=applicant).status_code == 403
    # An administrator searches the registry's whole trail by actor.
    by_actor = stack.http.get("/v1/admin/audit/registry/entries", headers=admin,
                              params={"actor_id": bhopal["X-Account-Id"], "limit": 1})
    assert by_actor.status_code == 200, by_actor.text
    page = by_actor.json()
    assert [e["action"] for e in page["items"]] == ["application_approve"]
    assert page["next_cursor"] is not None
    following = stack.http.get("/v1/admin/audit/registry/entries", headers=admin, params={
        "actor_id": bhopal["X-Account-Id"], "limit": 1, "cursor": page["next_cursor"]}).json()
    assert following["items"] and following["items"][0]["id"] != page["items"][0]["id"]
    assert stack.http.get("/v1/admin/audit/registry/entries",
                          headers=bhopal).status_code == 403
    assert stack.http.get("/v1/admin/audit/nowhere/entries",
                          headers=admin).status_code == 422


def registered_in(stack: RegistryStack, office_id: str, name: str, **data) -> str:
    """A society registered under ``office_id`` through the gateway: its id."""
    app_id = submitted(stack, name, office_id=office_id, **data)
    registrar = stack.token("registrar", "office", office_id)
    assert stack.http.post(f"/v1/applications/{app_id}/take-up",
                           headers=registrar).status_code == 200
    approved = stack.http.post(f"/v1/applications/{app_id}/approve", headers=registrar)
    assert approved.status_code == 200, approved.text
    return approved.json()["society_id"]


def test_liquidation_runs_from_order_to_revival_and_counts_in_the_return(stack):
    society_id = registered_in(stack, "wb-kolkata", "Howrah Tantuvay Samabay Samity",
                               state="West Bengal", district="Kolkata",
                               address="3 Strand Road, Kolkata 700001",
                               area_of_operation=["West Bengal"])
    registrar = stack.token("registrar", "office", "wb-kolkata")
    neighbour = stack.token("registrar", "office", "mp-bhopal")
    key = {"Idempotency-Key": "liq-order-howrah-1"}
    order = {"society_id": society_id, "order_ref": "RCS/WB/LQ/12/2026",
             "ordered_on": "2026-04-10", "reason": "Not functioning for three years",
             "liquidator_name": "S. Banerjee"}
    assert stack.http.post("/v1/liquidation/orders", headers={**neighbour, **key},
                           json=order).status_code == 404
    placed = stack.http.post("/v1/liquidation/orders", headers={**registrar, **key},
                             json=order)
    assert placed.status_code == 201, placed.text
    case = placed.json()
    assert case["status"] == "in_progress" and case["liquidator"]["name"] == "S. Banerjee"
    # A retry with the same key answers the same case, not a second one.
    again = stack.http.post("/v1/liquidation/orders", headers={**registrar, **key}, json=order)
    assert again.json()["id"] == case["id"]
    case_id = case["id"]
    assert stack.http.get(f"/v1/liquidation/cases/{case_id}",
                          headers=neighbour).status_code == 404

    bad = stack.http.post(f"/v1/liquidation/cases/{case_id}/entries", headers=registrar,
                          json={"side": "asset", "direction": "added", "amount": -5,
                                "entry_date": "2026-05-01", "description": "Loom shed"})
    assert bad.status_code == 422 and "amount" in bad.json()["error"]["details"]["fields"]
    entry = stack.http.post(f"/v1/liquidation/cases/{case_id}/entries", headers=registrar,
                            json={"side": "asset", "direction": "added", "amount": 250000.5,
                                  "entry_date": "2026-05-01", "description": "Loom shed"})
    assert entry.status_code == 200, entry.text
    assert entry.json()["assets"] in ("250000.50", "250000.5")
    held = stack.http.post(f"/v1/liquidation/cases/{case_id}/proceedings", headers=registrar,
                           json={"held_on": "2026-05-02", "note": "Charge taken over",
                                 "charge_taken_over": True})
    assert held.status_code == 200 and held.json()["charge_taken_over"] is True

    listed = stack.http.get("/v1/liquidation/cases", headers=registrar,
                            params={"status": "in_progress"}).json()
    assert case_id in [c["id"] for c in listed["items"]]
    assert case_id not in [c["id"] for c in stack.http.get(
        "/v1/liquidation/cases", headers=neighbour).json()["items"]]

    revived = stack.http.post(f"/v1/liquidation/cases/{case_id}/revive", headers=registrar,
                              json={"ended_on": "2026-09-01", "order_ref": "RCS/WB/RV/3/2026",
                                    "reason": "Members revived the society"})
    assert revived.status_code == 200 and revived.json()["status"] == "revived"
    closing = stack.http.post(f"/v1/liquidation/cases/{case_id}/close", headers=registrar,
                              json={"ended_on": "2026-09-02", "order_ref": "X/1",
                                    "reason": "too late"})
    assert closing.status_code == 409, closing.text

    counts = stack.http.get("/v1/liquidation/return", headers=registrar, params={
        "office_id": "wb-kolkata", "period_from": "2026-04-01", "period_to": "2027-03-31"})
    assert counts.status_code == 200, counts.text
    body = counts.json()
    assert (body["placed_under_liquidation"], body["revived"], body["closed"]) == (1, 1, 0)
    assert body["closing"] == body["opening"] + 1 - 0 - 1

    report = stack.http.get("/v1/reports/societies", headers=registrar,
                            params={"by": "state", "office_id": "wb-kolkata"})
    assert report.status_code == 200, report.text
    assert {"West Bengal"} <= {str(r.get("key", r.get("state"))) for r in report.json()["rows"]}
    assert stack.http.get("/v1/reports/societies", headers=stack.token("applicant"),
                          params={"by": "state"}).status_code == 403
