"""Benchmark of return submissions (not run in CI): RCS/LQR/01 returns (seed 002: every
rule of Part A, Part B, Annexures I and II) started and submitted through the real
filings service on the broker and PostgreSQL, one office filing each period after the
other, against the ``health`` round trip measured in the same run.

    .venv/bin/python tests/eventlet_pytest.py tests/perf/bench_filings_submit.py -q -s \\
        -p no:warnings

(tests/perf/conftest.py keeps it out of any collected run; named explicitly it runs.)
Prints submissions per second from one caller and the service time per submission
against the baseline; asserts nothing about time. Checking an LQR/01 return's values
alone costs about 0.2 ms in process; the rest is the RPC, the transaction and the audit.
Measured here (2 shared cores): 77 submissions/s from one caller, 12.9 ms each against
5.3 ms for a health round trip (ratio 2.5).
"""

from __future__ import annotations

import time
from datetime import date

from tests.services.conftest import containers, pg_database, rpc_proxy  # noqa: F401
from tests.services.integration.filings_kit import filings_stack as _stack_fixture
from tests.services.unit.test_filings_forms import _lqr_values

filings_stack = _stack_fixture
RETURNS = 60
# Government dues unchanged from period to period (Annexure II still adds up to them).
_DUES = {"share_capital": "100000", "loans": "180000", "grants": "50000"}
_NONE = {"share_capital": "0", "loans": "0", "grants": "0"}
STEADY_DUES = {"opening": _DUES, "added": _NONE, "total": _DUES, "recovered": _NONE,
               "closing": _DUES}


def test_bench_lqr_submissions(filings_stack):
    officer = filings_stack.staff("dealing_officer", office="wb-kolkata")
    health = filings_stack.system
    started = time.perf_counter()
    for _ in range(RETURNS):
        health.health()
    baseline = (time.perf_counter() - started) / RETURNS
    ends = [date(year, month, day) for year in range(1996, 2026)
            for month, day in ((3, 31), (9, 30))][:RETURNS]
    drafts = [officer.start_filing(payload={
        "form_code": "RCS/LQR/01", "filer_kind": "office", "filer_id": "wb-kolkata",
        "period_end": end.isoformat(),
        "values": _lqr_values(opening=42 if i else 40, placed=4 if i else 6,
                              closed=3, revived=1, assets_added="0", assets_reduced="0",
                              dues=STEADY_DUES)})["id"]
        for i, end in enumerate(ends)]
    # every return after the first opens where the last one closed: 42 + 4 - 3 - 1 = 42
    started = time.perf_counter()
    for filing_id in drafts:
        officer.submit_filing(payload={"filing_id": filing_id})
    elapsed = time.perf_counter() - started
    per = elapsed / RETURNS
    print(f"\n{RETURNS} RCS/LQR/01 submissions: {RETURNS / elapsed:.0f}/s from one caller, "
          f"{per * 1000:.1f} ms each against {baseline * 1000:.1f} ms for a health "
          f"round trip (ratio {per / baseline:.1f})")
