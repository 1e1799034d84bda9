"""The BR Act's 10 continuous years of a bank director (s.10A(2A), from 1 August 2025)
exclude the chairperson: a candidate whom the society's newest declared office-bearer
result (an earlier election on the platform) put in the chair is not refused for
tenure; a director past 10 years who is not in the chair still is, and so is a former
chairperson whom a newer result replaced."""

from __future__ import annotations

import json
import uuid

import pytest

from services.common.errors import Conflict
from tests.services.integration.elections_kit import seed_order
from tests.services.integration.test_elections_nominations import form, new_election


def _declared_office_bearers(stack, society_id: str, declared_at: str,
                             chair: str, post: str = "chairman") -> None:
    """An earlier election of the society whose office bearers were declared."""
    stack.set_clock("2025-09-20 10:00")
    earlier = stack.cea.create_election(payload=seed_order(society_id))["id"]
    form_id = str(uuid.uuid4())
    stack.sql("INSERT INTO result_form (id, election_id, form, version, body, status,"
              " submitted_by, submitted_at) VALUES (:i, :e, '19N', 1, '{}', 'approved',"
              " 'ro-0', :at)", i=form_id, e=earlier, at=declared_at)
    elected = [{"nomination_id": str(uuid.uuid4()), "membership_number": chair,
                "candidate_name": "Chair", "category": post, "votes": "unopposed"},
               {"nomination_id": str(uuid.uuid4()), "membership_number": "M0009",
                "candidate_name": "Vice", "category": "vice_chairman", "votes": 7}]
    stack.sql("INSERT INTO declaration (election_id, contest, form_id, elected,"
              " declared_by, declared_at) VALUES (:e, 'office_bearer', :f, CAST(:el AS json),"
              " 'ro-0', :at)", e=earlier, f=form_id, el=json.dumps(elected), at=declared_at)


def test_the_sitting_chairperson_is_excepted_from_the_ten_years(election_stack):
    stack = election_stack
    society_id, election_id = new_election(stack)                 # a bank
    _declared_office_bearers(stack, society_id, "2021-01-20 12:00+05:30", chair="M0003")
    _declared_office_bearers(stack, society_id, "2023-01-20 12:00+05:30", chair="M0004",
                             post="president")
    ro = stack.ro(election_id)
    stack.set_clock("2025-12-09 12:00")
    filed = {n: ro.file_nomination(payload=form(election_id, n,
                                                bank_director_since="2012-04-01"))["id"]
             for n in (3, 4, 5)}
    stack.set_clock("2025-12-16 12:00")

    def decide(n, decision, reasons=()):
        return ro.decide_nomination(payload={"election_id": election_id,
                                             "nomination_id": filed[n],
                                             "decision": decision, "reasons": list(reasons)})

    # M0004 holds the chair by the newest declared result (president): excepted.
    assert decide(4, "accept")["disqualifications"] == []
    # M0003 was chairman before that result; M0005 never: both past the 10 years.
    for n in (3, 5):
        with pytest.raises(Conflict) as refused:
            decide(n, "accept")
        assert [d["code"] for d in refused.value.details["disqualifications"]] == [
            "bank_director_tenure"]
