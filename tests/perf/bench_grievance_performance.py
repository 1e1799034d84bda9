"""Benchmark of the offices' monthly performance (not run in CI): 1,000,000 cases
received over the last two years at three offices, half of them closed, one in ten
escalated twice, read month by month by the real grievance service on the broker and
PostgreSQL, with the indexes the series reads and again without them.

    .venv/bin/python tests/eventlet_pytest.py tests/perf/bench_grievance_performance.py \
        -q -s -p no:warnings

(tests/perf/conftest.py keeps it out of any collected run; named explicitly it runs.)
Prints the time of each reading (the platform over the last 3, 12 and 36 months; a
state registrar's grant over 12 months; one district office over 12 months).
"""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from services.common.india import INDIA
from tests.services.conftest import containers, pg_database, rpc_proxy  # noqa: F401
from tests.services.integration.grievance_kit import complaint
from tests.services.integration.grievance_kit import grievance_stack as _stack_fixture

grievance_stack = _stack_fixture
pytestmark = pytest.mark.timeout(3600)

STORED = 1_000_000
COLUMNS = ("kind, kind_version, state_since, due_at, level, society_id, office_id, desk, "
           "category, subject, description, against_type, against_name, opened_by, "
           "opened_by_role, complainant_type, language, parties, assignee, rating, "
           "feedback, updated_at")
INDEXES = {"ix_grievance_case_opened_at": "grievance_case (opened_at)",
           "ix_grievance_case_closed_at": "grievance_case (closed_at)",
           "ix_grievance_case_event_action_at": "grievance_case_event (action, at)"}


def _months_ago(count: int) -> str:
    today = datetime.now(INDIA).date()
    index = today.year * 12 + today.month - 1 - count
    return f"{index // 12}-{index % 12 + 1:02d}"


def _readings(stack) -> dict[str, float]:
    def timed(proxy, payload) -> float:
        started = time.perf_counter()
        answer = proxy.case_performance(payload=payload)
        assert answer["offices"]
        return time.perf_counter() - started

    system = stack.rpc_proxy(timeout=600).grievance
    registrar = stack.as_role("registrar", "office:mp", "reg-mp")
    return {"platform, last 3 months": timed(system, {"from_month": _months_ago(2)}),
            "platform, 12 months": timed(system, {}),
            "platform, 36 months": timed(system, {"from_month": "2024-01"}),
            "registrar office:mp, 12 months": timed(registrar, {}),
            "one office (mp-bhopal), 12 months": timed(system, {"office_id": "mp-bhopal"})}


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

    indexed = _readings(stack)
    for name in INDEXES:
        stack.sql(f"DROP INDEX {name}")
    stack.sql("ANALYZE grievance_case")
    bare = _readings(stack)
    for name, columns in INDEXES.items():
        stack.sql(f"CREATE INDEX {name} ON {columns}")
    for reading, seconds in indexed.items():
        print(f"{reading}: {seconds * 1000:.0f} ms with the indexes, "
              f"{bare[reading] * 1000:.0f} ms without")
