"""A filing's audit trail in the filings service: its filer and the offices over the filer
read who did what, newest first, filtered by action and time and paged; another society
and a neighbouring office are answered as if the filing did not exist."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import NotFound
from tests.services.integration.test_filings_returns import ANNUAL, DOCUMENTS


def test_a_filings_trail_for_its_filer_and_its_offices_only(filings_stack):
    society = filings_stack.add_society()
    rep = filings_stack.representative(society)
    filing = rep.start_filing(payload={"form_code": "MSCS/ANNUAL", "filer_id": society,
                                       "period_end": "2025-03-31",
                                       "values": {**ANNUAL, **DOCUMENTS}})
    rep.submit_filing(payload={"filing_id": filing["id"]})
    registrar = filings_stack.staff("registrar", office="mp")
    registrar.accept_filing(payload={"filing_id": filing["id"]})

    for reader in (rep, registrar, filings_stack.staff("dealing_officer", office="mp-bhopal")):
        trail = reader.filing_audit(payload={"filing_id": filing["id"]})
        actions = [e["action"] for e in trail["items"]]
        assert actions[0] == "filing_accepted" and actions[-1] == "filing_started", actions
        assert trail["items"][0]["actor_id"] == "registrar-1"
        assert {e["entity_id"] for e in trail["items"]} == {filing["id"]}
    only = registrar.filing_audit(payload={"filing_id": filing["id"],
                                           "action": "filing_started"})
    assert [e["actor_id"] for e in only["items"]] == ["rep-1"]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert registrar.filing_audit(payload={"filing_id": filing["id"],
                                           "since": later})["items"] == []
    page = registrar.filing_audit(payload={"filing_id": filing["id"], "limit": 1})
    assert len(page["items"]) == 1 and page["next_offset"] == 1

    for outsider in (filings_stack.representative("another-society"),
                     filings_stack.staff("registrar", office="mp-indore")):
        with pytest.raises(NotFound):
            outsider.filing_audit(payload={"filing_id": filing["id"]})
