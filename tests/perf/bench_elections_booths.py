"""Benchmark of assigning seed 003's 30,644 voters to its 35 booths (not run in CI),
through the real broker and PostgreSQL:

    .venv/bin/python tests/eventlet_pytest.py tests/perf/bench_elections_booths.py -q -s \
        -p no:warnings

(tests/perf/conftest.py keeps it out of any collected run; named explicitly it runs.)

The list (30,466 individuals and 178 firms) is written straight into the elections
database, as the draw leaves it; then the RO's RPCs are timed from the call to the
answer: the serial-order rule, the same rule again (nothing changes: no row written),
and the RO's CSV of all 30,644 lines (the booths filled from the last one back), and the
assignment read back. The target is 2 s for each assignment. Asserts the booths' loads,
nothing about time.
"""

from __future__ import annotations

import time

from sqlalchemy import create_engine, text

from tests.services.conftest import containers, pg_database, rpc_proxy  # noqa: F401
from tests.services.integration.elections_kit import election_stack as _stack_fixture
from tests.services.integration.elections_kit import seed_order

election_stack = _stack_fixture

TARGET_SECONDS = 2.0
INDIVIDUALS, FIRMS = 30_466, 178
VOTERS = INDIVIDUALS + FIRMS
# 31 booths in Maharashtra and 4 in Karnataka, room for every voter.
BOOTHS = (
    [{"number": n, "location": f"Booth {n}, Kolhapur", "district": "Kolhapur",
      "state": "Maharashtra", "voters_assigned": 900} for n in range(1, 32)]
    + [{"number": n, "location": f"Booth {n}, Belagavi", "district": "Belagavi",
        "state": "Karnataka", "voters_assigned": 700} for n in range(32, 36)]
)


def _timed(call) -> tuple[dict, float]:
    started = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - started


def test_bench_booths_of_seed_003(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(society_id,
                                                               booths=BOOTHS))["id"]
    stack.sql("INSERT INTO voter (election_id, serial_no, membership_number, name,"
              " category, language, on_list, source) SELECT :e, g, 'M' || lpad(g::text, 6,"
              " '0'), 'Member Name ' || g, CASE WHEN g <= :f THEN 'firm' ELSE 'individual'"
              " END, 'hi', true, 'register' FROM generate_series(1, :n) g",
              e=election_id, n=VOTERS, f=FIRMS)
    stack.sql("INSERT INTO voter_list_draw (election_id, status, drawn, requested_by,"
              " started_at, finished_at) VALUES (:e, 'drawn', :n, 'ro-1', now(), now())",
              e=election_id, n=VOTERS)
    # As after a real draw, whose rows the status reads and the publication's count
    # have visited: no first reader setting hint bits inside the timed call.
    engine = create_engine(stack.elections_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE voter"))
    engine.dispose()
    stack.set_clock("2025-11-24 12:00")
    ro = stack.ro(election_id)
    ro.voter_booths(payload={"election_id": election_id})      # warm the connections

    rule = {"election_id": election_id, "rule": "serial_order"}
    first, serial_seconds = _timed(lambda: ro.assign_voter_booths(payload=rule))
    assert first["assigned"] == VOTERS and first["unassigned"] == 0
    assert [b["voters_assigned"] for b in first["booths"]] == [900] * 31 + [700] * 3 + [644]
    _, again_seconds = _timed(lambda: ro.assign_voter_booths(payload=rule))

    # The RO's file: the booths filled from the last one back, every line another booth
    # than serial order gives it.
    places = [b["number"] for b in reversed(BOOTHS) for _ in range(b["voters_assigned"])]
    body = "membership_number,booth\n" + "".join(
        f"M{n:06d},{places[n - 1]}\n" for n in range(1, VOTERS + 1))
    file = {"election_id": election_id, "rule": "file", "csv": body}
    second, file_seconds = _timed(lambda: ro.assign_voter_booths(payload=file))
    assert second["rule"] == "file" and second["from_file"] == VOTERS
    assert sum(b["voters_assigned"] for b in second["booths"]) == VOTERS
    _, read_seconds = _timed(lambda: ro.voter_booths(payload={"election_id": election_id}))
    _, health_seconds = _timed(lambda: ro.health(payload={}))

    time.sleep(1.0)     # the statistics collector reports a moment after the commit
    updates, heap_only = stack.sql("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                                   " WHERE relname = 'voter'")[0]
    print(f"\n=== seed 003: {VOTERS} voters to 35 booths ===")
    print(f"  voter rows updated {updates}, of which heap-only (no index touched) "
          f"{heap_only}")
    for label, seconds in (("serial order", serial_seconds),
                           ("serial order again (no change)", again_seconds),
                           (f"RO's CSV, {VOTERS} lines ({len(body):,} bytes)", file_seconds),
                           ("read the assignment", read_seconds),
                           ("health round trip (baseline)", health_seconds)):
        verdict = "" if "read" in label or "health" in label else (
            f"; target <= {TARGET_SECONDS} s: "
            f"{'met' if seconds <= TARGET_SECONDS else 'MISSED'}")
        print(f"  {label}: {seconds:.3f} s{verdict}")
