"""A filed return as a verifiable PDF, over the real broker and PostgreSQL: documents
reads the return from filings with the caller's own context and its form's definition,
prints every field with its English and Hindi label (amounts in ₹ with Indian grouping,
dates day first), stores it once per submission as the return's document, readable by
the society and its office; a draft is not printed, and a return one may not see is not
found."""

from __future__ import annotations

import hashlib
import io

import httpx
import pytest
from pypdf import PdfReader

from services.common.errors import Conflict, NotFound
from tests.services.integration.test_filings_returns import ANNUAL, DOCUMENTS
from tests.services.integration.test_voter_list_pdf import documents  # noqa: F401
from tests.services.unit.test_filings_forms import _lqr_values


def test_a_submitted_return_prints_once_per_submission(filings_stack, documents,  # noqa: F811
                                                       rpc_proxy):
    society = filings_stack.add_society("Berasia Krishak Sahakari Samiti")
    rep = filings_stack.representative(society)
    draft = rep.start_filing(payload={"form_code": "MSCS/ANNUAL", "filer_id": society,
                                      "period_end": "2025-03-31",
                                      "values": {**ANNUAL, **DOCUMENTS}})
    rep_ctx = {"actor_id": "rep-1", "actor_role": "society_representative",
               "actor_scope": f"society:{society}"}
    as_rep = rpc_proxy(**rep_ctx).documents
    with pytest.raises(Conflict):
        as_rep.issue_return_pdf(payload={"filing_id": draft["id"]})      # a draft
    rep.submit_filing(payload={"filing_id": draft["id"]})

    printed = as_rep.issue_return_pdf(payload={"filing_id": draft["id"]})
    assert printed["certificate_kind"] == "return_1"
    again = as_rep.issue_return_pdf(payload={"filing_id": draft["id"]})
    assert again["document_id"] == printed["document_id"]
    assert documents("SELECT count(*) FROM certificate") == 1

    ticket = as_rep.open_download(payload={"document_id": printed["document_id"]})
    pdf = httpx.get(ticket["download_url"], timeout=30).content
    text_layer = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Annual return of a multi-state co-operative society" in text_layer
    assert "बहु-राज्य सहकारी समिति का वार्षिक विवरण" in text_layer
    assert "Berasia Krishak Sahakari Samiti" in text_layer
    assert "31-03-2025" in text_layer and "12-09-2025" in text_layer   # dates day first
    assert "₹32,50,000" in text_layer and "-₹1,25,000" in text_layer   # Indian grouping
    assert "Paid-up share capital" in text_layer and "प्रदत्त अंश पूंजी" in text_layer
    assert "?" not in text_layer
    verdict = as_rep.verify_certificate(payload={"sha256": hashlib.sha256(pdf).hexdigest()})
    assert verdict["genuine"] and verdict["subject"]["filing_id"] == draft["id"]

    # The office over the society reads it; a return another society's representative
    # may not see is not found, and nothing is printed for them.
    office = rpc_proxy(actor_id="do-1", actor_role="dealing_officer",
                       actor_scope="office:mp-bhopal").documents
    assert office.open_download(payload={"document_id": printed["document_id"]})
    stranger = rpc_proxy(actor_id="rep-9", actor_role="society_representative",
                         actor_scope="society:someone-else").documents
    with pytest.raises(NotFound):
        stranger.issue_return_pdf(payload={"filing_id": draft["id"]})
    with pytest.raises(NotFound):
        stranger.open_download(payload={"document_id": printed["document_id"]})

    # Returned and filed again: a second PDF, the first kept.
    officer = filings_stack.staff("dealing_officer", office="mp-bhopal")
    officer.return_filing(payload={"filing_id": draft["id"], "remarks": "Sign page 2"})
    with pytest.raises(Conflict):
        as_rep.issue_return_pdf(payload={"filing_id": draft["id"]})
    rep.submit_filing(payload={"filing_id": draft["id"]})
    second = as_rep.issue_return_pdf(payload={"filing_id": draft["id"]})
    assert second["certificate_kind"] == "return_2"
    assert second["document_id"] != printed["document_id"]
    assert documents("SELECT count(*) FROM certificate") == 2


def test_an_offices_own_return_is_read_by_that_office(filings_stack, documents,  # noqa: F811
                                                      rpc_proxy):
    officer = filings_stack.staff("dealing_officer", office="wb-kolkata")
    draft = officer.start_filing(payload={
        "form_code": "RCS/LQR/01", "filer_kind": "office", "filer_id": "wb-kolkata",
        "period_end": "2025-03-31", "values": _lqr_values()})
    officer.submit_filing(payload={"filing_id": draft["id"]})
    own = rpc_proxy(actor_id="dealing_officer-1", actor_role="dealing_officer",
                    actor_scope="office:wb-kolkata").documents
    printed = own.issue_return_pdf(payload={"filing_id": draft["id"]})
    ticket = own.open_download(payload={"document_id": printed["document_id"]})
    pdf = httpx.get(ticket["download_url"], timeout=30).content
    text_layer = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "RCS/LQR/01" in text_layer and "?" not in text_layer
    other = rpc_proxy(actor_id="do-2", actor_role="dealing_officer",
                      actor_scope="office:mp-bhopal").documents
    with pytest.raises(NotFound):
        other.open_download(payload={"document_id": printed["document_id"]})
