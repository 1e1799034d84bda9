"""Form 19M printed by documents: every item labelled in English and Hindi, candidates'
Devanagari names shaped and extracted back exactly, the verification block at the foot."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from services.documents import election_forms
from services.notify import rules

SUBJECT = {"election_id": "e1", "election_number": "107/2025-26", "society_id": "s1",
           "society_name": "श्री वीरशैव को-ऑपरेटिव्ह बैंक", "form": "19M", "form_id": "f1",
           "form_version": 1, "submitted_at": "2026-01-08T04:30:00+00:00"}
BODY = {"section_a": {
    "i_name_and_registration": "Shri Veershaiv Co-operative Bank Ltd., Registration No. "
                               "MSCS/CR/107",
    "ii_a_polling_held": "Yes", "ii_a_date_and_hours": "04-01-2026, 08:00-16:00",
    "ix_contesting": {"general": 36, "women": 3, "sc_st": 2},
    "xi_votes_cast": 21450,
    "6_candidates": {"A": [{"sn": 1, "constituency": "Not applicable",
                            "candidate_name": "अनिल पाटील", "membership_number": "M0001",
                            "votes": 812}]},
    "7_vacant": "Not applicable"},
    "elected": [{"candidate_name": "अनिल पाटील", "category": "general",
                 "membership_number": "M0001", "votes": 812}]}


def _text() -> str:
    pdf = election_forms.form_pdf(SUBJECT, BODY, "0123456789AB",
                                  "https://coop.example/verify/0123-4567-89AB",
                                  datetime(2026, 1, 8, 5, 0, tzinfo=UTC))
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_form_19m_prints_every_item_in_english_and_hindi():
    text = _text()
    for phrase in ("Form 19M: result of the election of the board of",
                   "प्ररूप 19M: निदेशक मंडल के", "निर्वाचन का परिणाम",
                   "(xi) Votes cast", "डाले गए मत", "21450",
                   "general: 36; women: 3; sc st: 2", "A: 1. अनिल पाटील (M0001): 812",
                   "श्री वीरशैव को-ऑपरेटिव्ह बैंक", "Verification code: 0123-4567-89AB"):
        assert phrase in text, f"{phrase!r} not in {text!r}"
    assert "?" not in text


def test_the_society_gets_no_certificate_notice_for_an_election_form():
    payload = {"document_id": "d1", "document_version": 1, "society_id": "s1",
               "certificate_kind": "form_19m", "verification_code": "0123456789AB",
               "subject": SUBJECT, "issued_at": "2026-01-08T05:00:00+00:00"}
    assert rules.notices_for("documents", "certificate_issued", payload) == []
