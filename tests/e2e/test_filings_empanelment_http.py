"""Auditors' empanelment and audit allotment through the real gateway, the registry and
the filings service as processes: an auditor applies (an unknown field refused), the
state office queries, the auditor replies, the office approves; the list pages by cursor;
the district office allots a society's audit and a second allotment without reasons is
refused naming its rule; the auditor sees the allotment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.pool import NullPool

from services.common.india import INDIA
from services.filings.audits.empanelment import window, year_of
from services.filings.audits.status import year_end, year_name
from services.filings.tables import society_roster
from tests.e2e.harness import DomainStack

TODAY = datetime.now(UTC).astimezone(INDIA).date()
_THIS = year_of(TODAY)
YEAR = _THIS if window(_THIS)[0] <= TODAY <= window(_THIS)[1] else \
    year_name(year_end(_THIS).year + 1)
ENDED = year_name(TODAY.year if TODAY > date(TODAY.year, 3, 31) else TODAY.year - 1)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[DomainStack]:
    running = DomainStack(tmp_path_factory.mktemp("empanelment-stack"), "filings")
    try:
        yield running.start()
    finally:
        running.close()


def _enrol(stack: DomainStack, society_id: str) -> None:
    engine = create_engine(stack.service_url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(insert(society_roster).values(
                society_id=society_id, name="Berasia Krishak Sahakari Samiti",
                registration_number=f"MP/BPL/{society_id}", registration_date=date(2019, 5, 1),
                type="pacs", state="Madhya Pradesh", district="Bhopal",
                office_chain=["mp-bhopal", "mp", "crcs"], enrolled_at=datetime.now(UTC)))
    finally:
        engine.dispose()


def _body(number: str) -> dict:
    return {"financial_year": YEAR, "office_id": "mp", "name": "Anita Sharma",
            "membership_number": number, "email": "anita@example.in", "phone": "9876543210",
            "qualifications": ["FCA"], "certificate_document_ids": ["doc-cop"],
            "states": ["Madhya Pradesh"]}


def test_empanelment_and_allotment_over_http(stack):
    ca = stack.token("auditor", "society", "none")
    http = stack.http
    assert http.post("/v1/filings/empanelments", headers=ca,
                     json={**_body("200001"), "approved": True}).status_code == 422
    applied = http.post("/v1/filings/empanelments", headers=ca, json=_body("200001"))
    assert applied.status_code == 201, applied.text
    second = http.post("/v1/filings/empanelments", headers=ca, json=_body("200002"))
    assert second.status_code == 201, second.text
    ident = applied.json()["id"]
    state = stack.token("registrar", "office", "mp")
    base = f"/v1/filings/empanelments/{ident}"
    assert http.post(f"{base}/approve", headers=ca, json={}).status_code == 403
    queried = http.post(f"{base}/query", headers=state, json={"text": "Certificate?"})
    assert queried.json()["status"] == "queried", queried.text
    assert http.post(f"{base}/reply", headers=ca,
                     json={"text": "Attached.", "document_ids": ["doc-2"]}).status_code == 200
    approved = http.post(f"{base}/approve", headers=state, json={})
    assert approved.json()["status"] == "empanelled", approved.text
    if date.fromisoformat(approved.json()["valid_from"]) > TODAY:
        pytest.skip("the year applied for begins on 1 April")
    first = http.get("/v1/filings/empanelments", headers=state, params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = http.get("/v1/filings/empanelments", headers=state,
                    params={"limit": 1, "cursor": first["next_cursor"]}).json()
    assert {first["items"][0]["id"], rest["items"][0]["id"]} == {
        ident, second.json()["id"]}

    _enrol(stack, "berasia01")
    district = stack.token("dealing_officer", "office", "mp-bhopal")
    allot = {"society_id": "berasia01", "financial_year": ENDED, "empanelment_id": ident}
    made = http.post("/v1/filings/allotments", headers=district, json=allot)
    assert made.status_code == 201, made.text
    again = http.post("/v1/filings/allotments", headers=district, json=allot)
    assert again.status_code == 409
    assert again.json()["error"]["details"]["rule"] == "one_allotment_per_year"
    mine = http.get("/v1/filings/allotments", headers=ca).json()
    assert [a["id"] for a in mine["items"]] == [made.json()["id"]]
    assert mine["next_cursor"] is None
