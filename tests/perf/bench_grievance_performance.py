"""Benchmark of the offices' monthly performance (not run in CI): 1,000,000 cases
received over the last two years at three offices, half of them closed, one in ten
escalated twice; the monthly roll-up filled from them as the migration fills it (timed),
then read month by month by the real grievance service on the broker and PostgreSQL,
beside the same series computed from the case tables as it was before the roll-up
(three GROUP BYs, timed in the same run) and a ``health`` round trip as the baseline.

    .venv/bin/python tests/eventlet_pytest.py tests/perf/bench_grievance_performance.py \
        -q -s -p no:warnings

(tests/perf/conftest.py keeps it out of any collected run; named explicitly it runs.)
Prints the time of each reading (the platform over the last 3, 12 and 36 months; a
state registrar's grant over 12 months; one district office over 12 months), the
series from the case tables for the same readings, and checks both answer the same.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.common.india import INDIA
from services.grievance.cases import rollup
from tests.services.conftest import containers, pg_database, rpc_proxy  # noqa: F401
from tests.services.integration.grievance_kit import complaint
from tests.services.integration.grievance_kit import grievance_stack as _stack_fixture
from tests.services.integration.test_grievance_rollup import from_case_tables

grievance_stack = _stack_fixture
pytestmark = pytest.mark.timeout(3600)

STORED = 1_000_000
COLUMNS = ("kind, kind_version, state_since, due_at, level, society_id, office_id, desk, "
           "category, subject, description, against_type, against_name, opened_by, "
           "opened_by_role, complainant_type, language, parties, assignee, rating, "
           "feedback, updated_at")


def _months_ago(count: int) -> str:
    today = datetime.now(INDIA).date()
    index = today.year * 12 + today.month - 1 - count
    return f"{index // 12}-{index % 12 + 1:02d}"


# (name, who: None the platform or the grant's offices, the query)
READINGS = (("platform, last 3 months", None, {"from_month": _months_ago(2)}),
            ("platform, 12 months", None, {}),
            ("platform, 36 months", None, {"from_month": "2024-01"}),
            ("registrar office:mp, 12 months", ["mp"], {}),
            ("one office (mp-bhopal), 12 months", None, {"office_id": "mp-bhopal"}))


def _timed(call) -> tuple[object, float]:
    started = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - started


def _readings(stack) -> dict[str, tuple[dict, float]]:
    system = stack.rpc_proxy(timeout=600).grievance
    registrar = stack.as_role("registrar", "office:mp", "reg-mp")
    found = {}
    for name, reach, query in READINGS:
        proxy = system if reach is None else registrar
        answer, seconds = _timed(
            lambda proxy=proxy, query=query: proxy.case_performance(payload=query))
        assert answer["offices"]
        found[name] = (answer, seconds)
    return found


def test_a_million_cases_month_by_month(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society(office_id="mp")
    model = stack.citizen("citizen-bench").raise_grievance(payload=complaint(society_id))["id"]
    started = time.perf_counter()
    # Case g: received (g % 730) days and (g % 24) hours ago at one of three offices;
    # even ones closed (g % 40) days later, one in ten of those past a 30-day clock.
    stack.sql(
        f"INSERT INTO grievance_case (id, number, {COLUMNS}, office_ids, opened_at, "  # noqa: S608
        "overall_due_at, closed_at, state) "
        f"SELECT md5('perf' || g)::uuid::text, 'GRV/2026/P' || g, {COLUMNS}, "
        "(ARRAY['[\"mp-bhopal\", \"mp\", \"crcs\"]', '[\"mp\", \"crcs\"]', "
        "'[\"wb\", \"crcs\"]'])[g % 3 + 1]::json, o, o + interval '30 days', "
        "CASE WHEN g % 2 = 0 THEN o + (g % 40) * interval '1 day' END, "
        "CASE WHEN g % 2 = 0 THEN 'closed' ELSE 'assigned' END "
        "FROM grievance_case, generate_series(1, :stored - 1) AS g, "
        "LATERAL (SELECT now() - (g % 730) * interval '1 day' "
        "- (g % 24) * interval '1 hour' AS o) AS received WHERE id = :model",
        stored=STORED, model=model)
    print(f"\n{STORED:,} cases stored in {time.perf_counter() - started:.1f} s")
    stack.sql(
        "INSERT INTO grievance_case_event (case_id, action, from_state, to_state, actor_id, "
        "actor_role, note, document_ids, at) "
        "SELECT id, 'escalate', 'assigned', 'assigned', 'system', 'system', 'level', '[]', "
        "opened_at + step * interval '16 days' FROM grievance_case, "
        "generate_series(1, 2) AS step WHERE number LIKE 'GRV/2026/P%0'")
    stack.sql("ANALYZE grievance_case")
    stack.sql("ANALYZE grievance_case_event")
    print(f"escalations stored and analysed at {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    engine = create_engine(stack.grievance_url)
    with engine.begin() as connection:
        rollup.rebuild(connection)
    engine.dispose()
    print(f"roll-up filled from the {STORED:,} cases (as migration 0009 does) in "
          f"{time.perf_counter() - started:.1f} s")
    stack.sql("ANALYZE grievance_case_month")
    stack.sql("ANALYZE grievance_case_resolution")

    system = stack.rpc_proxy(timeout=600).grievance
    health = sorted(_timed(lambda: system.health(payload={}))[1] for _ in range(20))
    print(f"health round trip (baseline): median {health[10] * 1000:.0f} ms")
    fresh = _readings(stack)
    # What autovacuum does after the fill: the resolution index's pages marked
    # all-visible, so the medians' index walks need no heap.
    vacuum = create_engine(stack.grievance_url, isolation_level="AUTOCOMMIT")
    with vacuum.connect() as connection:
        for table in ("grievance_case_month", "grievance_case_resolution"):
            connection.exec_driver_sql(f"VACUUM ANALYZE {table}")
    vacuum.dispose()
    vacuumed = _readings(stack)
    engine = create_engine(stack.grievance_url)
    now = datetime.now(UTC)
    try:
        with Session(engine) as session:
            for name, reach, query in READINGS:
                asked = {**query}
                answer, seconds = vacuumed[name]
                asked.setdefault("from_month", answer["from_month"])
                asked.setdefault("to_month", answer["to_month"])
                before, old = _timed(
                    lambda reach=reach, asked=asked: from_case_tables(session, reach, asked))
                for found, _ in (fresh[name], vacuumed[name]):
                    found.pop("as_at")
                    assert found == before, name
                print(f"{name}: {seconds * 1000:.0f} ms from the roll-up "
                      f"({seconds / health[10]:.1f} health round trips; "
                      f"{fresh[name][1] * 1000:.0f} ms before it was vacuumed); "
                      f"{old * 1000:.0f} ms from the case tables")
    finally:
        engine.dispose()
    print(f"(measured {now:%d-%m-%Y %H:%M} UTC)")
