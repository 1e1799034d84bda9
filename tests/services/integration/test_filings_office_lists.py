"""The office-scoped lists of financial-assistance applications, empanelments and audit
allotments, filtered in SQL on the office chain each row keeps: an office above the row's
sees it, a sibling office does not, nor an office whose id only looks like one of the
chain's (a prefix, a LIKE wildcard); national staff see every row; the pages are read in
SQL, ``limit`` rows from ``offset``, with ``next_offset`` while more remain.

The rows are written straight into the tables with the office chains the registry would
give (``["mp-bhopal", "mp"]``: the district office, then the state office above it), so
each list is tried against chains no registry fixture holds (``mp-bhopal2``)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

# the rows' office chains, nearest office first
CHAINS = {
    "bhopal-1": ["mp-bhopal", "mp"],
    "bhopal-2": ["mp-bhopal", "mp"],
    "bhopal-3": ["mp-bhopal", "mp"],
    "sehore": ["mp-sehore", "mp"],            # Bhopal's sibling under the same state
    "bhopal2": ["mp-bhopal2", "mp"],          # an id Bhopal's is a prefix of
    "kolkata": ["wb-kolkata", "wb"],          # another state
}
START = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
LOOKALIKES = ("mp-b", "mp_bhopal", "m_", "mp-bhopa_", "%", "mp-bhopal%")


def _at(n: int) -> datetime:
    # the rows of CHAINS newest last, so a list (newest first) answers them reversed
    return START + timedelta(minutes=n)


def _ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def _reaches(stack, lister: str, office: str | None, rows: dict[str, str],
             **payload) -> list[str]:
    """The row names the list answers a registrar of ``office`` (every page of 100)."""
    names = {ident: name for name, ident in rows.items()}
    page = getattr(stack.staff("registrar", office=office), lister)(
        payload={"limit": 100, **payload})
    assert page["next_offset"] is None
    return [names[i] for i in _ids(page) if i in names]


def _check_reach_and_pages(stack, lister: str, rows: dict[str, str], **payload) -> None:
    newest_first = list(reversed(CHAINS))
    assert _reaches(stack, lister, "mp", rows, **payload) == [
        n for n in newest_first if n != "kolkata"]
    assert _reaches(stack, lister, "mp-bhopal", rows, **payload) == [
        "bhopal-3", "bhopal-2", "bhopal-1"]
    assert _reaches(stack, lister, "mp-sehore", rows, **payload) == ["sehore"]
    assert _reaches(stack, lister, "wb", rows, **payload) == ["kolkata"]
    for lookalike in LOOKALIKES:
        assert _reaches(stack, lister, lookalike, rows, **payload) == [], lookalike
    assert _reaches(stack, lister, None, rows, **payload) == newest_first
    # an officer holding two offices sees both, each row once
    both = stack.as_role("registrar", "office:mp-sehore office:wb", "registrar-2")
    assert [i for i in _ids(getattr(both, lister)(payload={"limit": 100, **payload}))
            if i in rows.values()] == [rows["kolkata"], rows["sehore"]]
    # Bhopal's three rows over two pages of two
    office = stack.staff("dealing_officer", office="mp-bhopal")
    first = getattr(office, lister)(payload={"limit": 2, **payload})
    assert (_ids(first), first["next_offset"]) == (
        [rows["bhopal-3"], rows["bhopal-2"]], 2)
    second = getattr(office, lister)(payload={"limit": 2, "offset": 2, **payload})
    assert (_ids(second), second["next_offset"]) == ([rows["bhopal-1"]], None)
    past = getattr(office, lister)(payload={"limit": 2, "offset": 4, **payload})
    assert (past["items"], past["next_offset"]) == ([], None)


def test_assistance_applications_are_listed_for_the_offices_above_them(filings_stack):
    rows = {}
    for n, (name, chain) in enumerate(CHAINS.items()):
        ident = str(uuid.uuid4())
        rows[name] = ident
        filings_stack.sql(
            "INSERT INTO assistance_application (id, society_id, society_name, state, "
            "district, level, office_chain, district_office_id, state_office_id, kind, "
            "financial_year, amount_asked_paise, purpose, documents, figures, eligibility, "
            "eligible, status, submitted_on, submitted_at, submitted_by, steps, updated_at) "
            "VALUES (:id, :society, :name, 'Madhya Pradesh', 'Bhopal', 'primary', "
            "CAST(:chain AS json), :district, :state, 'share_capital', '2026-27', 5000000, "
            "'Share capital for the godown.', CAST('[\"doc-1\"]' AS json), "
            "CAST('{}' AS json), CAST('{\"verdicts\": []}' AS json), true, 'submitted', "
            ":day, :at, 'rep-1', CAST('[]' AS json), :at)",
            id=ident, society=f"soc-{name}", name=f"Samiti {name}", chain=json.dumps(chain),
            district=chain[0], state=chain[-1], day=_at(n).date(), at=_at(n))
    _check_reach_and_pages(filings_stack, "list_assistance_applications", rows,
                           financial_year="2026-27")
    # the society's representative its own society's application only, as before
    mine = filings_stack.as_role("society_representative", "society:soc-sehore", "rep-9")
    assert _ids(mine.list_assistance_applications(payload={})) == [rows["sehore"]]
    assert filings_stack.as_role("auditor", "society:soc-sehore").list_assistance_applications(
        payload={})["items"] == []


def _empanelment_rows(stack) -> dict[str, str]:
    rows = {}
    for n, (name, chain) in enumerate(CHAINS.items()):
        ident = str(uuid.uuid4())
        rows[name] = ident
        stack.sql(
            "INSERT INTO auditor_empanelment (id, financial_year, office_id, office_chain, "
            "applicant_id, name, membership_number, email, phone, qualifications, "
            "certificate_document_ids, states, districts, status, steps, submitted_at, "
            "updated_at) VALUES (:id, '2026-27', :office, CAST(:chain AS json), :who, "
            "'Anita Sharma', :number, 'anita@example.in', '9876543210', "
            "CAST('[\"FCA\"]' AS json), CAST('[\"doc-cop-1\"]' AS json), "
            "CAST('[\"Madhya Pradesh\"]' AS json), CAST('[]' AS json), 'submitted', "
            "CAST('[]' AS json), :at, :at)",
            id=ident, office=chain[0], chain=json.dumps(chain), who=f"ca-{name}",
            number=str(200001 + n), at=_at(n))
    return rows


def test_empanelments_are_listed_for_the_offices_above_the_panel(filings_stack):
    rows = _empanelment_rows(filings_stack)
    _check_reach_and_pages(filings_stack, "list_empanelments", rows,
                           financial_year="2026-27")
    # an auditor their own applications, whatever office keeps the panel
    assert _ids(filings_stack.as_role("auditor", "society:none", "ca-kolkata")
                .list_empanelments(payload={})) == [rows["kolkata"]]


def test_allotments_are_listed_for_the_offices_above_the_society(filings_stack):
    panels = _empanelment_rows(filings_stack)
    rows = {}
    for n, (name, chain) in enumerate(CHAINS.items()):
        ident = str(uuid.uuid4())
        rows[name] = ident
        filings_stack.sql(
            "INSERT INTO audit_allotment (id, society_id, society_name, office_chain, "
            "financial_year, empanelment_id, auditor_id, auditor_name, membership_number, "
            "status, allotted_by, allotted_at) VALUES (:id, :society, :name, "
            "CAST(:chain AS json), '2025-26', :panel, :who, 'Anita Sharma', :number, "
            "'allotted', 'registrar-1', :at)",
            id=ident, society=f"soc-{name}", name=f"Samiti {name}", chain=json.dumps(chain),
            panel=panels[name], who=f"ca-{name}", number=str(200001 + n), at=_at(n))
    _check_reach_and_pages(filings_stack, "list_allotments", rows, financial_year="2025-26")
    assert _ids(filings_stack.as_role("auditor", "society:none", "ca-sehore")
                .list_allotments(payload={})) == [rows["sehore"]]
