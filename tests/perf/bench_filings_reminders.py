"""Benchmark of the due-date scan (not run in CI): the 850,000 societies of
bench_filings_compliance.py (its seeding: 60 % filed the 2024-25 annual return), as the
scans before 1 October 2025 left them: every 2023-24 annual return's overdue reminder
sent, the unfiled 2024-25 ones' due-soon reminders sent, each society's standing
announced as on 29 September (resting on its overdue annual return and its audit
category). Then the scan of 1 October 2025 through the real filings service:

- the 2024-25 annual return falls overdue for the 340,000 societies that did not file
  it: 340,000 reminders (the standing already rests on an overdue annual return, so
  none moves);
- the 2024-25 audit falls due: the societies whose audit years pending become 4 (those
  registered from April 2021 to March 2022, no audit recorded) move from "pending 1 to
  3" to "pending over 3", and are announced.

    .venv/bin/python tests/eventlet_pytest.py tests/perf/bench_filings_reminders.py \\
        -q -s -p no:warnings

A ``health`` round trip is timed before the scan (the baseline) and every 0.2 s while it
runs (other RPCs are not held up). The outbox relay does not publish in this run (the
events stay in the outbox, counted there): 340,000 messages are not put on a shared
broker, and publishing is the relay's cost, not the scan's. Asserts the counts the data
implies, and that a second scan the same day announces nothing.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date

import eventlet
import pytest
from sqlalchemy import create_engine, text

from services.common import outbox
from tests.perf import bench_filings_compliance as compliance
from tests.services.conftest import containers, pg_database, rpc_proxy  # noqa: F401
from tests.services.integration.filings_kit import filings_stack as _stack_fixture

filings_stack = _stack_fixture
AS_ON = "2025-10-01"
# FILINGS_BENCH_SOCIETIES=20000 for a quick look; the figure is for 850,000
SOCIETIES = compliance.SOCIETIES = int(os.environ.get("FILINGS_BENCH_SOCIETIES",
                                                      compliance.SOCIETIES))


@pytest.fixture(autouse=True)
def _relay_publishes_nothing(monkeypatch):
    monkeypatch.setattr(outbox.OutboxRelay, "run", lambda self: None)


def _as_left_by_earlier_scans(stack) -> None:
    stack.sql("INSERT INTO due_reminder (form_code, society_id, period_end, kind, sent_at) "
              "SELECT 'MSCS/ANNUAL', society_id, date '2024-03-31', 'overdue', now() "
              "FROM society_roster")
    stack.sql("INSERT INTO due_reminder (form_code, society_id, period_end, kind, sent_at) "
              "SELECT 'MSCS/ANNUAL', society_id, date '2025-03-31', 'due_soon', now() "
              "FROM society_roster r WHERE NOT EXISTS (SELECT 1 FROM filing f "
              "WHERE f.filer_id = r.society_id)")
    # the standing as on 29-09-2025: the earliest annual return unfiled (2022-23) overdue,
    # and the audit category from the years due by then (to 2023-24), none audited
    stack.sql(
        "UPDATE society_roster SET good_standing = false, standing_basis = json_build_array("
        "'MSCS/ANNUAL@2023-03-31', 'audit:' || CASE WHEN p <= 0 THEN 'up_to_date' "
        "WHEN p <= 3 THEN 'pending_1_3' ELSE 'pending_over_3' END) "
        "FROM (SELECT society_id AS s, 2024 - (extract(year FROM registration_date)::int "
        "+ CASE WHEN extract(month FROM registration_date) > 3 THEN 1 ELSE 0 END) + 1 AS p "
        "FROM society_roster) AS pending WHERE society_id = pending.s")
    engine = create_engine(stack.filings_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for table in ("society_roster", "due_reminder"):
                connection.execute(text(f"VACUUM ANALYZE {table}"))
    finally:
        engine.dispose()


@pytest.mark.timeout(3600)
def test_the_scan_of_1_october_over_850k_societies(filings_stack):
    stack = filings_stack
    started = time.perf_counter()
    compliance._seed(stack)
    _as_left_by_earlier_scans(stack)
    print(f"\n{SOCIETIES:,} societies, their returns, reminders and standings stored in "
          f"{time.perf_counter() - started:.1f} s")
    system = stack.rpc_proxy(timeout=3600).filings
    baseline = []
    for _ in range(15):
        began = time.perf_counter()
        system.health()
        baseline.append((time.perf_counter() - began) * 1000)

    during: list[float] = []
    done = eventlet.event.Event()

    def probe():
        prober = stack.rpc_proxy(timeout=60).filings
        while not done.ready():
            began = time.perf_counter()
            prober.health()
            during.append((time.perf_counter() - began) * 1000)
            eventlet.sleep(0.2)

    watcher = eventlet.spawn(probe)
    began = time.perf_counter()
    answer = system.scan_due_dates(payload={"as_on": AS_ON})
    took = time.perf_counter() - began
    done.send(True)
    watcher.wait()
    again_began = time.perf_counter()
    again = system.scan_due_dates(payload={"as_on": AS_ON})
    again_took = time.perf_counter() - again_began

    unfiled = sum(1 for g in range(1, SOCIETIES + 1) if g % 10 >= 6)
    moved = sum(1 for g in range(1, SOCIETIES + 1)
                if date(2021, 3, 31) < date.fromordinal(date(1990, 1, 1).toordinal()
                                                        + g % 12000) <= date(2022, 3, 31))
    base = statistics.median(baseline)
    print(f"scan of {AS_ON}: {answer['events']:,} reminders, {answer['standing_changes']:,} "
          f"standings moved in {took:.1f} s ({answer['events'] / took:,.0f} reminders/s)")
    print(f"the same day again: {again} in {again_took:.1f} s")
    print(f"health round trip: before the scan median {base:.1f} ms (max "
          f"{max(baseline):.1f}); during it median {statistics.median(during):.1f} ms, "
          f"p95 {sorted(during)[int(len(during) * 0.95)]:.1f}, max {max(during):.1f} ms "
          f"over {len(during)} calls")
    assert (answer["events"], answer["standing_changes"]) == (unfiled, moved)
    assert (again["events"], again["office_events"], again["standing_changes"]) == (0, 0, 0)
    outboxed = stack.sql("SELECT event_type, count(*) AS n FROM outbox_message "
                         "WHERE event_type IN ('filing_overdue', 'society_standing_changed') "
                         "GROUP BY 1")
    assert {r.event_type: r.n for r in outboxed} == {"filing_overdue": unfiled,
                                                    "society_standing_changed": moved}
