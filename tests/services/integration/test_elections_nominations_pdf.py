"""The nominations lists as the election's public, verifiable PDFs, over the real broker
and PostgreSQL: on each publication (the nominations received, the valid nominations
after scrutiny, the final list of contesting candidates of the board and of the office
bearers) elections announces the list whole (``election_nominations_list_published``:
no mobile, no Aadhaar), documents prints it once, owner ``election:<id>``, public,
Hindi shaped, with the QR and code that verify it."""

from __future__ import annotations

import hashlib
import io
import json
import uuid

import httpx
from pypdf import PdfReader

from tests.services.integration.test_elections_nominations import aadhaar, form, new_election
from tests.services.integration.test_voter_list_pdf import documents  # noqa: F401
from tests.support.polling import wait_for

LISTS = ("nominations_received", "nominations_valid", "candidates_final")


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_each_nominations_list_is_printed_once_as_a_public_verifiable_pdf(
        election_stack, documents, rpc_proxy):  # noqa: F811
    stack = election_stack
    # One general seat for two candidates: a contest; women unopposed; SC/ST vacant.
    _, election_id = new_election(stack, seats={"general": 1, "women": 2, "sc_st": 1})
    ro = stack.ro(election_id)
    stack.set_clock("2025-12-09 12:00")
    filed = {
        "g1": ro.file_nomination(payload=form(election_id, 1, candidate_name="रमेश पाटील",
                                              relative_name="पिता: नारायण पाटील")),
        "g2": ro.file_nomination(payload=form(election_id, 2)),
        "g3": ro.file_nomination(payload=form(election_id, 3)),
        "w1": ro.file_nomination(payload=form(election_id, 8, "women")),
    }
    ids = {k: v["id"] for k, v in filed.items()}
    stack.set_clock("2025-12-15 17:30")
    ro.publish_nominations(payload={"election_id": election_id})

    stack.set_clock("2025-12-16 12:00")
    for key in ("g1", "g2", "w1"):
        ro.decide_nomination(payload={"election_id": election_id, "nomination_id": ids[key],
                                      "decision": "accept"})
    ro.decide_nomination(payload={"election_id": election_id, "nomination_id": ids["g3"],
                                  "decision": "reject",
                                  "reasons": ["The nomination form is not signed."]})
    stack.set_clock("2025-12-16 17:30")
    ro.publish_valid_nominations(payload={"election_id": election_id})
    stack.set_clock("2025-12-17 17:30")
    ro.publish_contesting_list(payload={"election_id": election_id})

    # Each list goes out whole, with nothing the notice board does not show.
    events = {}
    for (payload,) in stack.sql("SELECT payload FROM outbox_message WHERE event_type = "
                                "'election_nominations_list_published'"):
        body = payload if isinstance(payload, dict) else json.loads(payload)
        events[body["list"]] = body
    assert set(events) == {"received", "valid", "contesting"}
    received_rows = events["received"]["rows"]
    assert [r["category"] for r in received_rows] == ["general"] * 3 + ["women"]
    assert [r["sn"] for r in received_rows] == [1, 2, 3, 4]
    assert "mobile" not in json.dumps(events) and aadhaar(1) not in json.dumps(events)
    valid_rows = {r["membership_number"]: r for r in events["valid"]["rows"]}
    assert valid_rows["M0003"]["remarks"] == (
        "Rejected / अस्वीकृत: The nomination form is not signed.")
    contesting = {r["membership_number"]: r["remarks"] for r in events["contesting"]["rows"]}
    assert contesting == {"M0001": "", "M0002": "",
                          "M0008": "Elected unopposed / निर्विरोध निर्वाचित"}

    assert wait_for(lambda: documents(
        "SELECT count(*) FROM certificate WHERE certificate_kind IN "
        "('nominations_received', 'nominations_valid', 'candidates_final')") == 3,
        timeout=60)

    # Public: read without signing in, found as the election's documents.
    public = rpc_proxy().documents
    texts = {}
    for category in LISTS:
        listed = rpc_proxy(actor_id="ro-1", actor_role="returning_officer",
                           actor_scope=f"election:{election_id}").documents.list_documents(
            payload={"owner": f"election:{election_id}", "category": category,
                     "limit": 10})
        (doc,) = listed["items"]
        assert doc["access_level"] == "public"
        assert doc["current"]["content_type"] == "application/pdf"
        ticket = public.open_download(payload={"document_id": doc["document_id"]})
        pdf = httpx.get(ticket["download_url"], timeout=30).content
        verdict = public.verify_certificate(
            payload={"sha256": hashlib.sha256(pdf).hexdigest()})
        assert verdict["genuine"] and verdict["subject"]["election_id"] == election_id
        texts[category] = _pdf_text(pdf)
        assert "Shri Veershaiv Cooperative Bank Limited" in texts[category]
        assert "Verification code" in texts[category]
        assert "?" not in texts[category]              # every script printed, shaped

    received = texts["nominations_received"]
    assert "List of nominations received" in received and "प्राप्त नामांकनों की सूची" in received
    assert "रमेश पाटील (M0001)" in received and "नारायण पाटील" in received
    assert "Candidate 03 (M0003)" in received and "97" + "00000001" not in received
    valid = texts["nominations_valid"]
    assert "वैध नामांकनों की सूची" in valid
    assert "Rejected / " in valid and "The nomination form is not signed." in valid
    final = " ".join(texts["candidates_final"].split())     # lines wrap where they fit
    assert "चुनाव लड़ने वाले उम्मीदवारों की अंतिम सूची" in final
    assert "Candidate 03" not in final                  # rejected: not standing
    assert "निर्विरोध निर्वाचित" in final and "महिला" in final
    assert "contesting / उम्मीदवार 2" in final and "vacant / रिक्त 1" in final


def _ob_nomination(stack, election_id, post, number, name, status="accepted"):
    stack.sql(
        "INSERT INTO nomination (id, election_id, contest, category, membership_number,"
        " candidate_name, relative_name, address, mobile, identity_digest,"
        " central_govt_employee, filed_by, filed_at, status) VALUES (:id, :e,"
        " 'office_bearer', :p, :m, :n, :r, 'Kolhapur 416001', '9700000099', :d, false,"
        " 'ro-1', now(), :s)",
        id=str(uuid.uuid4()), e=election_id, p=post, m=number, n=name,
        r=f"पिता: {name}", d=uuid.uuid4().hex, s=status)


def test_the_office_bearers_contesting_list_is_printed_as_a_public_verifiable_pdf(
        election_stack, documents, rpc_proxy):  # noqa: F811
    stack = election_stack
    _, election_id = new_election(stack, seats={"general": 3, "women": 1, "sc_st": 1})
    # The office bearers' candidates as the RO decided them (directors of the board):
    # two stand for chairman; one for vice chairman, elected unopposed; one withdrew.
    _ob_nomination(stack, election_id, "chairman", "M0001", "रमेश पाटील")
    _ob_nomination(stack, election_id, "chairman", "M0002", "Candidate 02")
    _ob_nomination(stack, election_id, "vice_chairman", "M0003", "Candidate 03")
    _ob_nomination(stack, election_id, "vice_chairman", "M0004", "Candidate 04",
                   status="withdrawn")
    stack.set_clock("2026-01-15 16:30")
    stack.ro(election_id).publish_contesting_list(
        payload={"election_id": election_id, "contest": "office_bearer"})

    (payload,) = stack.sql("SELECT payload FROM outbox_message WHERE event_type = "
                           "'election_nominations_list_published'")[0]
    event = payload if isinstance(payload, dict) else json.loads(payload)
    assert event["list"] == "ob_contesting" and event["contest"] == "office_bearer"
    assert {r["membership_number"]: r["remarks"] for r in event["rows"]} == {
        "M0001": "", "M0002": "", "M0003": "Elected unopposed / निर्विरोध निर्वाचित"}
    assert "9700000099" not in json.dumps(event)           # no mobile on the list

    assert wait_for(lambda: documents(
        "SELECT count(*) FROM certificate WHERE certificate_kind = 'ob_candidates_final'"
    ) == 1, timeout=60)
    listed = rpc_proxy(actor_id="ro-1", actor_role="returning_officer",
                       actor_scope=f"election:{election_id}").documents.list_documents(
        payload={"owner": f"election:{election_id}", "category": "ob_candidates_final",
                 "limit": 10})
    (doc,) = listed["items"]
    assert doc["access_level"] == "public"
    assert doc["current"]["content_type"] == "application/pdf"
    public = rpc_proxy().documents
    ticket = public.open_download(payload={"document_id": doc["document_id"]})
    pdf = httpx.get(ticket["download_url"], timeout=30).content
    verdict = public.verify_certificate(payload={"sha256": hashlib.sha256(pdf).hexdigest()})
    assert verdict["genuine"] and verdict["subject"]["election_id"] == election_id
    assert verdict["subject"]["list"] == "ob_contesting"
    text = " ".join(_pdf_text(pdf).split())
    assert "?" not in text                                 # every script printed, shaped
    assert "Final list of candidates for the office bearers" in text
    assert "पदाधिकारियों के पदों के उम्मीदवारों की अंतिम सूची" in text
    assert "अध्यक्ष (चेयरमैन)" in text and "उपाध्यक्ष (वाइस चेयरमैन)" in text
    assert "रमेश पाटील (M0001)" in text and "Candidate 02 (M0002)" in text
    assert "Candidate 04" not in text                      # withdrew: not standing
    assert "निर्विरोध निर्वाचित" in text and "withdrawn / वापस 1" in text
    assert "Verification code" in text
