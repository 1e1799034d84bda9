"""Grievances through the real gateway, the registry and the grievance service as
processes on the real broker and PostgreSQL: a society raises one against an officer,
the society's office resolves it and the citizen rates it, refusals come back naming
the rule in the platform's error body, and a court case's status is public."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.e2e.harness import Proc, base_env, free_port, signed_in, start_deployed
from tests.gateway.identity_kit import make_kit
from tests.perf.bench_registry_members import insert_societies
from tests.services.integration.grievance_kit import complaint
from tests.support import pg
from tests.support.broker import AMQP_URI, delete_queues


class GrievanceStack:
    def __init__(self, work: Path):
        self.work = work
        self.registry_db, self.registry_url = pg.create_database("e2egvr")
        self.grievance_db, self.grievance_url = pg.create_database("e2egvg")
        self.gateway_db = f"sqlite:///{work / 'gateway.db'}"
        self.port = free_port()
        self.procs: list[Proc] = []
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=20)
        self.kit = None

    def env(self) -> dict[str, str]:
        return base_env(AMQP_URI=AMQP_URI, REGISTRY_DATABASE_URL=self.registry_url,
                        REGISTRY_METRICS_PORT="0", GRIEVANCE_DATABASE_URL=self.grievance_url,
                        GRIEVANCE_METRICS_PORT="0", GATEWAY_DATABASE_URL=self.gateway_db,
                        GATEWAY_HOST="127.0.0.1", GATEWAY_PORT=str(self.port),
                        GATEWAY_SERVICES="registry,grievance", GATEWAY_RPC_TIMEOUT="10",
                        GATEWAY_TRUSTED_PROXIES="127.0.0.1")

    def start(self) -> GrievanceStack:
        self.procs = start_deployed(("registry", "grievance"), self.env(), self.work,
                                    self.http, 90)
        self.kit = make_kit(self.gateway_db)
        return self

    def token(self, role: str, scope_kind: str | None = None,
              scope_id: str | None = None) -> dict[str, str]:
        return signed_in(self.http, self.kit, role, scope_kind, scope_id)

    def society(self, office_id: str) -> str:
        society_id = uuid.uuid4().hex[:12]
        engine = create_engine(self.registry_url)
        try:
            with engine.begin() as connection:
                insert_societies(connection, [(society_id, f"MSCS/CR/{society_id}",
                                               "Sahyog Credit Cooperative Society")])
                connection.execute(text("UPDATE society SET office_id = :o WHERE id = :i"),
                                   {"o": office_id, "i": society_id})
        finally:
            engine.dispose()
        return society_id

    def close(self) -> None:
        self.http.close()
        for proc in reversed(self.procs):
            proc.kill()
        delete_queues(["rpc-registry", "rpc-grievance"])
        pg.drop_database(self.registry_db)
        pg.drop_database(self.grievance_db)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[GrievanceStack]:
    running = GrievanceStack(tmp_path_factory.mktemp("grievance-stack"))
    try:
        yield running.start()
    finally:
        running.close()


def test_a_citizen_raises_a_grievance_and_the_office_resolves_it(stack):
    society_id = stack.society("mp")
    # Citizens sign in by OTP (covered by the service's tests); a society's
    # representative raises it here, as the society's own complaint.
    citizen = stack.token("society_representative", "society", society_id)
    raised = stack.http.post("/v1/grievances", headers=citizen, json=complaint(
        society_id, against_type="officer", against_name="Dealing officer"))
    assert raised.status_code == 201, raised.text
    case_id = raised.json()["id"]
    assert raised.json()["office_id"] == "mp"
    assert raised.json()["message"]["hi"].startswith("आपकी शिकायत")

    officer = stack.token("dealing_officer", "office", "mp")
    elsewhere = stack.token("dealing_officer", "office", "wb")
    assert stack.http.get(f"/v1/cases/{case_id}", headers=elsewhere).status_code == 404
    wrong_state = stack.http.post(f"/v1/cases/{case_id}/actions", headers=officer,
                                  json={"action": "resolve", "note": "Done."})
    assert wrong_state.status_code == 409
    assert wrong_state.json()["error"]["details"]["rule"].startswith(
        "grievance v1: 'resolve' goes from assigned")
    for body in ({"action": "assign", "assignee": "do-1"},
                 {"action": "resolve", "note": "The dividend has been credited."}):
        moved = stack.http.post(f"/v1/cases/{case_id}/actions", headers=officer, json=body)
        assert moved.status_code == 200, moved.text
    not_yours = stack.http.post(f"/v1/cases/{case_id}/actions", headers=officer,
                                json={"action": "rate", "rating": 5})
    assert not_yours.status_code == 403
    rated = stack.http.post(f"/v1/cases/{case_id}/actions", headers=citizen,
                            json={"action": "rate", "rating": 4, "note": "Thank you."})
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
    history = stack.http.get(f"/v1/cases/{case_id}/history", headers=citizen).json()
    assert [h["action"] for h in history["items"]] == ["open", "assign", "resolve", "rate"]
    board = stack.http.get("/v1/cases/dashboard", headers=officer)
    assert board.status_code == 200 and board.json()["sla"]["closed"] == 1
    assert stack.http.get("/v1/cases/dashboard", headers=citizen).status_code == 403


def test_a_court_case_status_is_public_by_its_number(stack):
    officer = stack.token("registrar", "office", "mp")
    recorded = stack.http.post("/v1/court-cases", headers=officer, json={
        "number": "W.P. 77/2026", "court": "High Court of Madhya Pradesh",
        "petitioners": ["A Society"], "respondents": ["Registrar"],
        "subject": "Supersession", "description": "Writ against supersession."})
    assert recorded.status_code == 201, recorded.text
    public = stack.http.get("/v1/court-cases/status/W.P. 77/2026")
    assert public.status_code == 200, public.text
    assert public.json()["court"] == "High Court of Madhya Pradesh"
    assert stack.http.get("/v1/court-cases/status/W.P. 78/2026").status_code == 404
