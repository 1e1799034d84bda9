"""Benchmark of the voter list PDF (not run in CI): seed 003's 30,644 voters printed the
way the documents service prints a published list, while the same process answers
``health`` RPCs, against the same print done inside the eventlet hub.

    TEST_AMQP_URI=... .venv/bin/python tests/eventlet_pytest.py \
        tests/perf/bench_voter_list_pdf.py -q -s -p no:warnings

(tests/perf/conftest.py keeps it out of any collected run; named explicitly it runs.)

A real documents service (nameko container on the broker and PostgreSQL) runs in this
process; a green thread asks it for ``health`` every 50 ms and records each round trip.
1. In the hub (what the service does not do): ``voter_lists.render`` of ``IN_HUB_ROWS``
   rows in a green thread; no health answer comes back until it is done.
2. As the service does: ``voter_lists.render_in_subprocess`` of all 30,644 rows (a child
   process; the green thread waits on its pipe).
Prints rows/s of each, the page count and size, and the worst and 99th-percentile
health answer during each (timed from when it was due), whether it stayed under 100 ms,
the hub's own worst stall (how late a 10 ms green sleep woke),
and the same figures for 5 s with nothing printed (the machine's own noise). Asserts
nothing.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

import eventlet
import pytest

from services.common.migrate import upgrade
from services.documents import voter_lists
from services.documents.service import DocumentsService
from services.documents.settings import documents_settings
from tests.services.conftest import containers, pg_database, rpc_proxy  # noqa: F401
from tests.support.ports import free_port

SEED_ROWS = 30_644
IN_HUB_ROWS = 3_000
LIMIT_MS = 100.0

SUBJECT = {"election_id": "e-107", "election_number": "107/2025-26", "society_id": "s-1",
           "society_name": "Shri Veershaiv Co-operative Bank Ltd. / श्री वीरशैव को-ऑप. बैंक लि.",
           "registration_number": "MSCS/CR/1259/2016", "list": "final",
           "voters_as_on": "2025-03-31", "published_at": "2025-12-06T11:30:00+00:00",
           "entries": SEED_ROWS}


def _voters(n: int) -> list[dict]:
    # Names in Devanagari and in Latin script, a firm every 9th.
    return [{"serial_no": i, "membership_number": f"M{i:05d}",
             "name": f"सुनीता अनिल पाटील {i}" if i % 3 == 0 else f"Anil Shivaji Patil {i}",
             "category": "firm" if i % 9 == 0 else "individual"} for i in range(1, n + 1)]


@pytest.fixture
def documents(pg_database, containers, rpc_proxy, monkeypatch, tmp_path):  # noqa: F811
    url = pg_database("documents")
    upgrade("documents", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DOCUMENTS_DATA_PORT", str(free_port()))
    monkeypatch.setenv("DOCUMENTS_FILES_DIR", str(tmp_path / "files"))
    documents_settings.cache_clear()
    containers(DocumentsService, url)
    yield rpc_proxy(timeout=120).documents
    documents_settings.cache_clear()


def _while_pinging(proxy, work):
    """Run ``work`` in a green thread while health is asked every 50 ms; the seconds
    ``work`` took, its answer, each answer's time from when it was due (ms), and the
    hub's worst stall (ms)."""
    trips: list[float] = []
    done = eventlet.event.Event()

    def ping():
        # Each answer is timed from when its call was due (50 ms after the one before):
        # a hub held by the render delays the call itself, and that counts.
        due = time.perf_counter()
        while not done.ready():
            proxy.health(payload={})
            answered = time.perf_counter()
            trips.append((answered - due) * 1000)
            due = answered + 0.05
            eventlet.sleep(0.05)

    def tick():
        # The hub itself: how late a 10 ms sleep wakes (no broker, no other process).
        while not done.ready():
            before = time.perf_counter()
            eventlet.sleep(0.01)
            late.append((time.perf_counter() - before - 0.01) * 1000)

    late: list[float] = []
    pinger, ticker = eventlet.spawn(ping), eventlet.spawn(tick)
    eventlet.sleep(0.3)
    started = time.perf_counter()
    answer = eventlet.spawn(work).wait()
    seconds = time.perf_counter() - started
    done.send(True)
    pinger.wait()
    ticker.wait()
    return seconds, answer, trips, max(late)


def _report(label: str, rows: int, seconds: float, pdf: bytes, trips: list[float],
            hub: float) -> None:
    worst = max(trips) if trips else float("nan")
    p99 = statistics.quantiles(trips, n=100, method="inclusive")[98] if len(trips) >= 2 else worst
    print(f"\n{label}: {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s, "
          f"{voter_lists.page_count(rows):,} pages, {len(pdf) / 1e6:.1f} MB; health "
          f"answers during it: {len(trips)}, p99 {p99:.0f} ms, worst {worst:.0f} ms "
          f"-> {'under' if worst < LIMIT_MS else 'NOT under'} {LIMIT_MS:.0f} ms; "
          f"the hub's own worst stall {hub:.0f} ms")


@pytest.mark.timeout(900)
def test_bench_voter_list_pdf(documents):
    issued = datetime(2025, 12, 6, 12, 0, tzinfo=UTC)
    url = "https://coop.example/verify/0123-4567-89AB"
    documents.health(payload={})
    # The machine as it is (2 shared cores, other work on them): health with no render.
    _, _, idle, hub = _while_pinging(documents, lambda: eventlet.sleep(5))
    print(f"\nbaseline, nothing printed: {len(idle)} health answers, p99 "
          f"{statistics.quantiles(idle, n=100, method='inclusive')[98]:.0f} ms, worst "
          f"{max(idle):.0f} ms; the hub's own worst stall {hub:.0f} ms")

    small = _voters(IN_HUB_ROWS)
    seconds, pdf, trips, hub = _while_pinging(documents, lambda: voter_lists.render(
        {**SUBJECT, "entries": IN_HUB_ROWS}, small, "0123456789AB", url, issued))
    _report("in the hub (not done)", IN_HUB_ROWS, seconds, pdf, trips, hub)

    voters = _voters(SEED_ROWS)
    seconds, pdf, trips, hub = _while_pinging(
        documents, lambda: voter_lists.render_in_subprocess(SUBJECT, voters, "0123456789AB",
                                                            url, issued))
    _report("child process (the service)", SEED_ROWS, seconds, pdf, trips, hub)
