"""Each election's current stage, stored: set on the order, kept as the service's clock
passes a stage's opening (the timer), when the rehearsal clock is moved either way and
when the CEA amends the programme; lists filter by it in SQL and the CEA's dashboard
counts by it; migration 0007 fills it in for elections ordered before it."""

from __future__ import annotations

import time
import uuid
from datetime import datetime

from sqlalchemy import create_engine, text

from services.common.migrate import upgrade
from services.elections.settings import elections_settings
from tests.services.integration.elections_kit import SEED_STAGES, ist, seed_order


def _stored(stack, election_id) -> tuple[str | None, datetime | None]:
    stage, changes_at = stack.sql("SELECT stage, stage_changes_at FROM election WHERE id = :i",
                                  i=election_id)[0]
    return stage, changes_at


def _listed(stack, stage: str) -> list[str]:
    return [e["id"] for e in stack.cea.list_elections(payload={"stage": stage})["items"]]


def test_the_stage_follows_the_clock_the_rehearsal_clock_and_amendments(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    created = stack.cea.create_election(payload=seed_order(society_id))
    election_id = created["id"]
    assert created["stage"] is None                   # nothing has opened yet
    assert _stored(stack, election_id) == (None, ist("2025-11-24 11:00"))
    assert stack.cea.cea_dashboard(payload={})["at_stage"] == {"not_started": 1}

    # The rehearsal clock moved on: the stage is worked out again at once.
    stack.set_clock("2025-11-26 16:00")               # between the day's hours
    assert _stored(stack, election_id) == ("objections",
                                           ist("2025-12-01 11:00"))
    assert _listed(stack, "objections") == [election_id]
    assert _listed(stack, "provisional_list") == []
    listed = stack.cea.list_elections(payload={"stage": "objections"})["items"][0]
    assert listed["stage"] == "objections" and listed["open_stages"] == []
    assert stack.cea.cea_dashboard(payload={})["at_stage"] == {"objections": 1}

    # As the clock passes the next opening, the timer moves the stage on.
    stack.set_clock(ist("2025-12-01 10:59:58"))
    assert _stored(stack, election_id)[0] == "objections"
    deadline = time.monotonic() + 10
    while _stored(stack, election_id)[0] != "objection_scrutiny" \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _stored(stack, election_id) == ("objection_scrutiny",
                                           ist("2025-12-06 17:00"))
    assert stack.ro(election_id).get_election(
        payload={"election_id": election_id})["stage"] == "objection_scrutiny"

    # And back: a rehearsal replayed from an earlier moment.
    stack.set_clock("2025-11-24 11:30")
    assert _stored(stack, election_id) == ("provisional_list",
                                           ist("2025-11-25 11:00"))

    # The CEA moves stages not yet open: the next change moves with them.
    stack.set_clock("2025-12-07 09:00")
    assert _stored(stack, election_id) == ("final_list", ist("2025-12-08 11:00"))
    stack.cea.amend_programme(payload={
        "election_id": election_id, "reason": "Nominations from 09-12-2025.",
        "stages": [{"stage": "nominations", "starts_on": "2025-12-09",
                    "ends_on": "2025-12-15", "daily_from": "11:00", "daily_to": "15:00"}]})
    assert _stored(stack, election_id) == ("final_list", ist("2025-12-09 11:00"))

    # Past the last opening the stage stays where it is.
    stack.set_clock("2026-02-01 12:00")
    assert _stored(stack, election_id) == ("ob_declaration", None)
    assert _listed(stack, "ob_declaration") == [election_id]


def test_the_migration_fills_in_the_stage_of_elections_ordered_before_it(pg_database,
                                                                         monkeypatch):
    monkeypatch.setenv("ELECTIONS_CLOCK", "real")
    elections_settings.cache_clear()
    url = pg_database("elections")
    upgrade("elections", url, revision="elections_0006")
    engine = create_engine(url)
    past, future = str(uuid.uuid4()), str(uuid.uuid4())
    try:
        with engine.begin() as connection:
            for election_id, years in ((past, 0), (future, 5)):
                connection.execute(text(
                    "INSERT INTO election (id, number, order_ref, order_date, society_id,"
                    " society_name, registration_number, society_address, area_states,"
                    " returning_officer, is_bank, voters_as_on, bye_laws_require_proposer,"
                    " status, created_by, created_at, updated_at) VALUES (:i, :n, 'CEA-1',"
                    " '2025-09-19', 's1', 'Bank', 'MSCS/1', '', '[]', '{}', true,"
                    " '2025-03-31', false, 'ordered', 'cea-1', now(), now())"),
                    {"i": election_id, "n": election_id[:8]})
                for seq, s in enumerate(SEED_STAGES, start=1):
                    start = s["starts_on"].replace("2025", str(2025 + years)).replace(
                        "2026", str(2026 + years))
                    end = (s.get("ends_on") or s["starts_on"]).replace(
                        "2025", str(2025 + years)).replace("2026", str(2026 + years))
                    connection.execute(text(
                        "INSERT INTO programme_stage (election_id, stage, seq, starts_on,"
                        " ends_on, daily_from, daily_to) VALUES (:e, :s, :q, :a, :b, :f,"
                        " :t)"), {"e": election_id, "s": s["stage"], "q": seq, "a": start,
                                 "b": end, "f": s.get("daily_from"), "t": s.get("daily_to")})
        upgrade("elections", url)
        with engine.connect() as connection:
            found = {r.id: (r.stage, r.stage_changes_at) for r in connection.execute(text(
                "SELECT id, stage, stage_changes_at FROM election"))}
    finally:
        engine.dispose()
        elections_settings.cache_clear()
    assert found[past] == ("ob_declaration", None)        # seed 003's programme is over
    assert found[future] == (None, ist("2030-11-24 11:00"))
