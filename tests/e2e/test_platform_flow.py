"""The services together, as deployed: registry, documents, notify and the gateway as
processes on the real broker and PostgreSQL, e-mail to an SMTP server on loopback.

A registration goes from an applicant's form to an approved society; the registry's
events make documents issue a registration certificate and notify tell the applicant and
the society. Nothing here calls a service directly: every step is an HTTP request or an
event one service sends another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.harness import PlatformStack, registered_society, wait_until

SERVICES = ("registry", "documents", "notify")


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[PlatformStack]:
    running = PlatformStack(tmp_path_factory.mktemp("platform-stack"), SERVICES)
    try:
        yield running.start()
    finally:
        running.close()


FORM = {
    "name": "Sahyadri Multi-State Fisheries Co-operative",
    "address": "12 Harbour Road, Ratnagiri 415612", "state": "Maharashtra",
    "district": "Ratnagiri", "area_of_operation": ["Maharashtra", "Goa"], "type": "fishery",
    "board_seats": {"general": 9, "women": 2, "sc_st": 1},
    "office_bearers": [{"role": "Chairman", "name": "S. Naik"}],
    "contacts": {"email": "office@sahyadri.example", "phone": "+91 2352 220000",
                 "language": "en"},
    "bye_law_document_ids": ["doc-sahyadri-bye-laws"],
}
APPLICANT_EMAIL = "meera.naik@example.in"


def test_an_approved_registration_brings_a_verifiable_certificate_and_notices(platform):
    http = platform.http
    applicant = platform.token("applicant")
    created = http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": "crcs", "data": FORM,
        "applicant": {"name": "Meera Naik", "email": APPLICANT_EMAIL, "language": "en"}})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    promoter = http.post(f"/v1/applications/{app_id}/promoters", headers=applicant, json={
        "name": "Meera Naik", "aadhaar_number": "456789012345", "otp": "123456"})
    assert promoter.json()["verified"] is True, promoter.text
    submit = http.post(f"/v1/applications/{app_id}/submit", headers=applicant)
    assert submit.status_code == 200, submit.text

    officer = platform.token("dealing_officer", "office", "crcs")
    assert http.post(f"/v1/applications/{app_id}/take-up", headers=officer).status_code == 200
    queried = http.post(f"/v1/applications/{app_id}/query", headers=officer,
                        json={"note": "Attach the promoters' share receipts."})
    assert queried.status_code == 200, queried.text
    # The query reaches the applicant by e-mail (notify, from registry's event).
    mail = wait_until(lambda: [m for m in platform.smtp.messages()
                               if APPLICANT_EMAIL in m["to"]], 30,
                      "the query to reach the applicant by e-mail")
    assert len(mail) == 1
    replied = http.post(f"/v1/applications/{app_id}/reply", headers=applicant,
                        json={"note": "Receipts attached.", "document_ids": ["doc-receipts"]})
    assert replied.status_code == 200, replied.text
    approved = http.post(f"/v1/applications/{app_id}/approve",
                         headers=platform.token("registrar"))
    assert approved.status_code == 200, approved.text
    society_id = approved.json()["society_id"]

    # documents issued the registration certificate from registry's event: public.
    def certificates():
        page = http.get("/v1/documents/public", params={"society_id": society_id,
                                                        "kind": "certificate"})
        return page.status_code == 200 and page.json()["items"]

    [certificate] = wait_until(certificates, 30, "the registration certificate")
    pdf = http.get(f"/v1/documents/public/{certificate['document_id']}/content")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Anyone can check the file: genuine as issued, refused once a byte changes.
    genuine = http.post("/v1/documents/verify", content=pdf.content).json()
    assert genuine["genuine"] is True and genuine["file_matches"] is True
    assert genuine["document_id"] == certificate["document_id"]
    assert FORM["name"] in str(genuine["subject"])
    code = genuine["verification_code"]
    by_code = http.get(f"/v1/documents/verify/{code}").json()
    assert by_code["genuine"] is True
    altered = bytearray(pdf.content)
    altered[len(altered) // 2] ^= 0x01
    forged = http.post("/v1/documents/verify", params={"code": code},
                       content=bytes(altered)).json()
    assert forged["file_matches"] is False

    # The society's mailbox holds the registration notice and the certificate, linked.
    representative = platform.token("society_representative", "society", society_id)

    def mailbox():
        page = http.get(f"/v1/mailboxes/societies/{society_id}/messages",
                        headers=representative)
        assert page.status_code == 200, page.text
        items = page.json()["items"]
        return len(items) >= 2 and items

    items = wait_until(mailbox, 30, "the society's mailbox to hold two notices")
    linked = [link["document_id"] for item in items for link in item["links"]]
    assert certificate["document_id"] in linked
    other = platform.token("society_representative", "society", "another-society")
    assert http.get(f"/v1/mailboxes/societies/{society_id}/messages",
                    headers=other).status_code == 404
    # The applicant heard of the approval too: a second e-mail, none twice.
    wait_until(lambda: len([m for m in platform.smtp.messages()
                            if APPLICANT_EMAIL in m["to"]]) == 2, 30,
               "the approval to reach the applicant by e-mail")
    assert platform.smtp.stats().get("duplicates", 0) == 0



def registered_society_id(platform: PlatformStack, name: str) -> str:
    """A registration from form to approval, without the query: the new society's id."""
    return registered_society(platform, {**FORM, "name": name})["society_id"]


def test_a_mass_message_reaches_every_member_the_registry_lists(platform):
    """Notify draws the recipients from the real member register: every active member
    gets the message once by SMS and e-mail, a ceased one does not."""
    http = platform.http
    society_id = registered_society_id(platform, "Konkan Weavers Co-operative")
    representative = platform.token("society_representative", "society", society_id)
    members = f"/v1/societies/{society_id}/members"
    for n in range(1, 6):
        added = http.post(members, headers=representative, json={
            "membership_number": f"KW-{n}", "name": f"Member {n}", "category": "individual",
            "admission_date": "2025-04-01", "phone": f"98200000{n:02d}",
            "email": f"kw{n}@example.in", "language": "hi" if n % 2 else "en"})
        assert added.status_code == 201, added.text
    ceased = http.post(f"{members}/{added.json()['member_id']}/cease", headers=representative,
                       json={"cessation_date": "2025-10-01", "reason": "resigned"})
    assert ceased.status_code == 200, ceased.text

    job = http.post(f"/v1/mass-messages/societies/{society_id}", headers=representative,
                    json={"template_key": "general_meeting_notice",
                          "channels": ["sms", "email"],
                          "variables": {"society_name": "Konkan Weavers Co-operative",
                                        "meeting": "annual general meeting",
                                        "at": "2026-12-20 11:00", "venue": "Town Hall"}})
    assert job.status_code == 202, job.text

    def finished():
        got = http.get(f"/v1/mass-messages/{job.json()['id']}", headers=representative)
        return got.json()["status"] == "completed" and got.json()

    wait_until(finished, 60, "the mass message to complete")
    mailed = sorted(m["to"][0] for m in platform.smtp.messages()
                    if m["to"][0].startswith("kw"))
    assert mailed == [f"kw{n}@example.in" for n in range(1, 5)]
    texted = sorted(m["to"][-2:] for m in platform.sms.messages()
                    if "982000000" in m["to"])
    assert texted == ["01", "02", "03", "04"]
