"""Financial assistance through the real gateway, the registry and the filings service as
processes: an application outside the window is refused with both dates, a body with an
unknown field is refused, and an application received in June goes through the District
Level Committee, forwarding and the Registrar's sanction over HTTP, with amounts capped,
the list paged by cursor and the budget split in ₹."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.pool import NullPool

from services.common.india import INDIA, day_text
from services.filings.tables import assistance_application, society_roster
from tests.e2e.harness import DomainStack

CHAIN = ["ml-east-khasi-hills", "ml", "crcs"]
SOUND = {"individual_shares": "15000", "paid_up": "100000", "authorised": "200000",
         "members": 40, "members_5_years_ago": 30, "audit_years_pending": 0,
         "net_profit": "80000", "accumulated_loss": "0", "owned_capital": "150000",
         "to_reserve": "20000", "to_cdf": "8000", "dividend_percent": "12.5",
         "state_level": 0, "weak": 0, "newly_registered": 0}


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[DomainStack]:
    running = DomainStack(tmp_path_factory.mktemp("assistance-stack"), "filings")
    try:
        yield running.start()
    finally:
        running.close()


def _rows(stack: DomainStack, table, **values) -> None:
    engine = create_engine(stack.service_url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(insert(table).values(**values))
    finally:
        engine.dispose()


def _enrol(stack: DomainStack, society_id: str) -> None:
    _rows(stack, society_roster, society_id=society_id, name="Mawlai Multipurpose",
          registration_number=f"ML/EKH/{society_id}",
          registration_date=datetime(2019, 5, 1).date(), type="multipurpose",
          state="Meghalaya", district="East Khasi Hills", office_chain=CHAIN,
          enrolled_at=datetime.now(UTC))


def test_assistance_over_http(stack):
    society = "mawlaimps"
    _enrol(stack, society)
    rep = stack.token("society_representative", "society", society)
    body = {"society_id": society, "kind": "share_capital", "financial_year": "2026-27",
            "amount_asked": "500000.50", "purpose": "Share capital base",
            "documents": ["doc-budget"], "figures": SOUND}
    today = datetime.now(UTC).astimezone(INDIA).date()
    if not (today.month, today.day) <= (6, 30) or today.year != 2026:
        refused = stack.http.post("/v1/filings/assistance/applications", headers=rep,
                                  json=body)
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["details"]["rule"] == "apply_by"
        assert "30-06-2026" in error["message"] and day_text(today) in error["message"]
    extra = stack.http.post("/v1/filings/assistance/applications", headers=rep,
                            json={**body, "approved": True})
    assert extra.status_code == 422
    staff = stack.token("dealing_officer", "office", "ml-east-khasi-hills")
    assert stack.http.post("/v1/filings/assistance/applications", headers=staff,
                           json=body).status_code == 403

    # an application received on 30 June (as the service stores one)
    app_id = str(uuid.uuid4())
    received = datetime(2026, 6, 30, 12, tzinfo=UTC)
    _rows(stack, assistance_application, id=app_id, society_id=society,
          society_name="Mawlai Multipurpose", state="Meghalaya", district="East Khasi Hills",
          level="primary", office_chain=CHAIN, district_office_id=CHAIN[0],
          state_office_id="ml", kind="share_capital", financial_year="2026-27",
          amount_asked_paise=50000050, purpose="Share capital base",
          documents=["doc-budget"], figures={}, eligibility={"verdicts": []},
          eligible=True, status="submitted", submitted_on=received.date(),
          submitted_at=received, submitted_by="rep-1",
          steps=[{"step": "submitted", "by": "rep-1", "at": received.isoformat()}],
          updated_at=received)
    base = f"/v1/filings/assistance/applications/{app_id}"
    over = stack.http.post(f"{base}/recommendation", headers=staff, json={
        "recommended": True, "amount_recommended": "500000.51", "reasons": "Sound"})
    assert over.status_code == 422 and "₹5,00,000.50" in over.json()["error"]["message"]
    early = stack.http.post(f"{base}/forward", headers=staff, json={})
    assert early.status_code == 409
    assert early.json()["error"]["details"]["rule"] == \
        "only_recommended_applications_are_forwarded"
    done = stack.http.post(f"{base}/recommendation", headers=staff, json={
        "recommended": True, "amount_recommended": "400000", "reasons": "Sound society"})
    assert done.status_code == 200 and done.json()["status"] == "recommended", done.text
    assert stack.http.post(f"{base}/forward", headers=staff, json={}).status_code == 200
    order = {"amount_sanctioned": "400000", "order_reference": "COD.31/2026/1",
             "order_date": (received + timedelta(days=30)).date().isoformat()}
    assert stack.http.post(f"{base}/sanction", headers=staff,
                           json=order).status_code == 403
    registrar = stack.token("registrar", "office", "ml")
    sanctioned = stack.http.post(f"{base}/sanction", headers=registrar, json=order)
    assert sanctioned.status_code == 200, sanctioned.text
    assert sanctioned.json()["amount_sanctioned_paise"] == 40000000

    page = stack.http.get("/v1/filings/assistance/applications", headers=rep,
                          params={"limit": 1})
    assert page.status_code == 200
    assert [i["id"] for i in page.json()["items"]] == [app_id]
    assert page.json()["next_cursor"] is None
    other = stack.token("society_representative", "society", "someoneelse")
    assert stack.http.get(base, headers=other).status_code == 404
    split = stack.http.get("/v1/filings/assistance/budget-split", headers=registrar,
                           params={"state": "Meghalaya", "financial_year": "2026-27"})
    assert split.status_code == 200
    assert split.json()["sanctioned"]["primary"]["text"] == "₹4,00,000"
    assert split.json()["sanctioned"]["primary"]["percent"] == "100.00"


def test_society_eligibility_over_http_turns_once_utilisation_is_recorded(stack):
    """POST /v1/filings/assistance/societies/{id}/eligibility through the gateway: a
    contribution of 2024-25 sanctioned, not released, is left to the committee; released
    and certified in full over HTTP, the rule passes; refusals keep their rule and ₹."""
    society = "umiamfishery"
    _enrol(stack, society)
    app_id = str(uuid.uuid4())
    received = datetime(2024, 6, 10, 12, tzinfo=UTC)
    _rows(stack, assistance_application, id=app_id, society_id=society,
          society_name="Umiam Fishery", state="Meghalaya", district="East Khasi Hills",
          level="primary", office_chain=CHAIN, district_office_id=CHAIN[0],
          state_office_id="ml", kind="share_capital", financial_year="2024-25",
          amount_asked_paise=20000000, purpose="Share capital base",
          documents=["doc-budget"], figures={}, eligibility={"verdicts": []},
          eligible=True, status="sanctioned", submitted_on=received.date(),
          submitted_at=received, submitted_by="rep-1", amount_recommended_paise=20000000,
          amount_sanctioned_paise=20000000, order_reference="COD.31/2024/12",
          order_date=datetime(2024, 8, 1).date(),
          steps=[{"step": "submitted", "by": "rep-1", "at": received.isoformat()}],
          updated_at=received)
    rep = stack.token("society_representative", "society", society)
    route = f"/v1/filings/assistance/societies/{society}/eligibility"

    def utilised() -> dict:
        answer = stack.http.post(route, headers=rep, json={"kind": "share_capital",
                                                           "figures": SOUND})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["society_id"] == society and body["records_read"] is True
        verdict = next(v for v in body["verdicts"]
                       if v["rule"] == "past_contribution_utilised")
        return {**verdict, "left_to_committee": body["left_to_committee"]}

    verdict = utilised()
    assert (verdict["outcome"], verdict["passed"]) == ("not_known", None)
    assert "past_contribution_utilised" in verdict["left_to_committee"]
    assert "COD.31/2024/12" in verdict["not_known"]["en"]
    other = stack.token("society_representative", "society", "someoneelse")
    assert stack.http.post(route, headers=other, json={"kind": "share_capital"}
                           ).status_code == 404
    assert stack.http.post(route, headers=rep, json={"kind": "share_capital",
                                                     "approved": True}).status_code == 422

    base = f"/v1/filings/assistance/applications/{app_id}"
    registrar_office = stack.token("dealing_officer", "office", "ml")
    release = {"amount": "200000", "released_on": "2024-09-02", "reference": "REL/2024/3"}
    above = stack.http.post(f"{base}/releases", headers=registrar_office,
                            json={**release, "amount": "200000.01"})
    assert above.status_code == 422, above.text
    error = above.json()["error"]
    assert error["details"]["rule"] == "released_within_sanctioned"
    assert "₹2,00,000.01" in error["message"] and "₹2,00,000 sanctioned" in error["message"]
    assert "amount" in error["details"]["fields"]
    district = stack.token("dealing_officer", "office", CHAIN[0])
    assert stack.http.post(f"{base}/releases", headers=district,
                           json=release).status_code == 403
    early = stack.http.post(f"{base}/utilisations", headers=rep, json={
        "amount_utilised": "1", "utilised_on": "2024-09-03", "document_id": "doc-uc"})
    assert early.status_code == 409
    assert early.json()["error"]["details"]["rule"] == "utilisation_follows_release"
    released = stack.http.post(f"{base}/releases", headers=registrar_office, json=release)
    assert released.status_code == 201, released.text
    assert released.json()["funds"]["texts"]["released"] == "₹2,00,000"
    assert stack.http.post(f"{base}/utilisations", headers=other, json={
        "amount_utilised": "1", "utilised_on": "2024-09-03",
        "document_id": "doc-uc"}).status_code == 404
    certified = stack.http.post(f"{base}/utilisations", headers=rep, json={
        "amount_utilised": "200000", "utilised_on": "2025-02-28",
        "document_id": "doc-uc-2025"})
    assert certified.status_code == 201, certified.text

    verdict = utilised()
    assert (verdict["outcome"], verdict["passed"]) == ("passed", True)
    year = next(y for y in verdict["years"] if y["financial_year"] == "2024-25")
    assert (year["figure"], year["threshold"]) == ("200000", "200000")
    assert "past_contribution_utilised" not in verdict["left_to_committee"]

    funds = stack.http.get(f"{base}/funds", headers=rep)
    assert funds.status_code == 200
    assert funds.json()["texts"] == {"sanctioned": "₹2,00,000", "released": "₹2,00,000",
                                     "utilised": "₹2,00,000", "unutilised": "₹0"}
    page = stack.http.get(f"{base}/utilisations", headers=registrar_office,
                          params={"limit": 1})
    assert page.status_code == 200
    assert [i["document_id"] for i in page.json()["items"]] == ["doc-uc-2025"]
    assert page.json()["next_cursor"] is None
    assert stack.http.get(f"{base}/releases", headers=other).status_code == 404
