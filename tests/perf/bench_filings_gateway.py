"""Benchmark of annual returns submitted through the gateway (not part of the tests):
``python tests/perf/bench_filings_gateway.py [--societies 200] [--periods 200]``.

The registry, the filings service and the gateway run as processes on fresh PostgreSQL
databases over the local broker. ``--societies`` societies each get a representative
signed in through the gateway and ``--periods`` MSCS/ANNUAL drafts (31 March of the last
``--periods`` years; 200 x 200 = 40,000), the first started through the API and the rest
stored beside it as the service stores a draft. Every draft is then submitted once over
32 keep-alive connections at once (a thread each, http.client): each submission is
fully checked (every rule of the form, continuity with the previous return filed),
acknowledged, audited and announced.

Baseline in the same run: a read through the same gateway and service (``GET
/v1/filings/forms``, one RPC) by the same client over the same 32 connections. Prints
submissions per second, their p50/p99, the baseline's rate and the ratio. Target: at
least 300 submissions/s. Checks that the database holds exactly the drafts submitted,
each once; misses of the target are reported, never fatal.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.perf.run import free_port, machine_line  # noqa: E402

TARGET_PER_SECOND = 300.0
CONNECTIONS = 32
# A steady society: no one admitted or ceased, so each year opens where the last closed.
VALUES = {
    "activities": "Credit to 1,180 members; a godown at Berasia.",
    "members_opening": 1180, "members_admitted": 0, "members_ceased": 0,
    "authorised_capital": "5000000", "paid_up": "3250000", "net_profit": "-125000",
    "agm_date": "2025-09-12", "board_election_date": "2023-01-15",
    "audited_accounts": "doc-accounts", "balance_sheet": "doc-balance-sheet",
}


def drive(port: int, requests: list[tuple[str, str, str | None]]) -> dict:
    """Send ``requests`` (method, path, token) over CONNECTIONS keep-alive connections,
    each connection its own share in order, all at once; their statuses and latencies.
    A thread per connection with http.client: the client costs little beside the
    gateway, and each request is sent exactly once."""
    import http.client
    import threading
    import time

    shares = [requests[i::CONNECTIONS] for i in range(CONNECTIONS)]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def run(share):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, seen = [], {}
        for method, path, token in share:
            headers = {"Content-Length": "0"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            started = time.perf_counter()
            connection.request(method, path, headers=headers)
            answer = connection.getresponse()
            answer.read()
            mine.append(time.perf_counter() - started)
            seen[answer.status] = seen.get(answer.status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {"requests": len(latencies), "seconds": elapsed, "statuses": statuses,
            "per_second": len(latencies) / elapsed, "p50_ms": pct(0.50),
            "p99_ms": pct(0.99)}


def seed(http, kit, registry_url: str, filings_url: str, societies: int,
         periods: int) -> list[tuple[str, str]]:
    """Every draft as (filing id, its society's token), newest period first: the
    connections' shares mix societies."""
    from sqlalchemy import create_engine, text

    from tests.e2e.harness import signed_in
    from tests.perf.bench_registry_members import insert_societies

    engine = create_engine(registry_url)
    ids = [f"bfg{i:05d}" for i in range(societies)]
    with engine.begin() as connection:
        insert_societies(connection, [(s, f"MSCS/CR/{s}", f"Samiti {s}") for s in ids])
        connection.execute(text("UPDATE society SET office_id = 'mp-bhopal', "
                                "state = 'Madhya Pradesh', district = 'Bhopal'"))
    engine.dispose()
    tokens = {}
    for society in ids:
        headers = signed_in(http, kit, "society_representative", "society", society)
        tokens[society] = headers["Authorization"].split(" ", 1)[1]
        started = http.post("/v1/filings", headers=headers, json={
            "form_code": "MSCS/ANNUAL", "filer_id": society, "period_end": "2025-03-31",
            "values": VALUES})
        assert started.status_code == 201, started.text
    engine = create_engine(filings_url)
    with engine.begin() as connection:
        columns = ("form_code, jurisdiction, form_version, filer_kind, filer_id, filer_name, "
                   "state, district, society_type, office_chain, status, data, submissions, "
                   "late, days_late, created_by, created_at, updated_at")
        connection.execute(text(
            f"INSERT INTO filing (id, period_end, due_on, {columns}) "  # noqa: S608
            "SELECT md5(filer_id || y)::uuid::text, make_date(y, 3, 31), "
            f"make_date(y, 9, 30), {columns} FROM filing, "
            "generate_series(2025 - :periods + 1, 2024) AS y"), {"periods": periods})
        rows = connection.execute(text(
            "SELECT id, filer_id FROM filing ORDER BY period_end DESC, filer_id")).all()
        connection.execute(text("ANALYZE filing"))
    engine.dispose()
    return [(row.id, tokens[row.filer_id]) for row in rows]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--societies", type=int, default=200)
    parser.add_argument("--periods", type=int, default=200)
    args = parser.parse_args(argv)

    import httpx
    from sqlalchemy import create_engine, text

    from tests.e2e.harness import base_env, start_deployed
    from tests.gateway.identity_kit import make_kit
    from tests.support import pg
    from tests.support.broker import AMQP_URI, delete_queues

    work = Path(tempfile.mkdtemp(prefix="bench-filings-"))
    registry_db, registry_url = pg.create_database("benchfgreg")
    filings_db, filings_url = pg.create_database("benchfgfil")
    procs = []
    try:
        port = free_port()
        env = base_env(AMQP_URI=AMQP_URI, REGISTRY_DATABASE_URL=registry_url,
                       FILINGS_DATABASE_URL=filings_url, REGISTRY_METRICS_PORT="0",
                       FILINGS_METRICS_PORT="0", GATEWAY_SERVICES="registry,filings",
                       GATEWAY_DATABASE_URL=f"sqlite:///{work / 'gateway.db'}",
                       GATEWAY_HOST="127.0.0.1", GATEWAY_PORT=str(port),
                       GATEWAY_ACCESS_LOG="false", GATEWAY_ACCESS_TOKEN_SECONDS="3600",
                       LOG_LEVEL="WARNING")
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        procs = start_deployed(("registry", "filings"), env, work, http, 120)
        kit = make_kit(f"sqlite:///{work / 'gateway.db'}")
        drafts = seed(http, kit, registry_url, filings_url, args.societies, args.periods)
        print(f"{len(drafts):,} drafts stored", flush=True)
        reads = [("GET", "/v1/filings/forms", None)] * max(2000, len(drafts) // 4)
        baseline = drive(port, reads)
        submitted = drive(port, [("POST", f"/v1/filings/{filing_id}/submit", token)
                                 for filing_id, token in drafts])
        engine = create_engine(filings_url)
        with engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT count(*) FILTER (WHERE status = 'submitted'), "
                "count(*) FILTER (WHERE submissions = 1), count(*) FROM filing")).one()
        engine.dispose()
    finally:
        for proc in reversed(procs):
            proc.kill()
        delete_queues(["rpc-registry", "rpc-filings"])
        pg.drop_database(registry_db)
        pg.drop_database(filings_db)

    rate, read_rate = submitted["per_second"], baseline["per_second"]
    print(machine_line())
    print(f"{len(drafts):,} MSCS/ANNUAL drafts of {args.societies} societies; "
          f"{CONNECTIONS} connections")
    print(f"submitted: {submitted['statuses']} in {submitted['seconds']:.1f} s = "
          f"{rate:.0f}/s; p50 {submitted['p50_ms']:.1f} ms, p99 {submitted['p99_ms']:.1f} ms")
    print(f"baseline GET /v1/filings/forms: {read_rate:.0f}/s, p50 "
          f"{baseline['p50_ms']:.1f} ms, p99 {baseline['p99_ms']:.1f} ms; "
          f"submissions / reads = {rate / read_rate:.2f}")
    print(f"stored: {stored[0]:,} submitted of {stored[2]:,}, {stored[1]:,} submitted once")
    print("target: >= 300 submissions/s: " + (
        "met" if rate >= TARGET_PER_SECOND and submitted["statuses"] == {200: len(drafts)}
        else f"MISSED ({rate:.0f}/s, answers {submitted['statuses']})"))
    print("BENCH_JSON " + json.dumps({"submit": submitted, "baseline": baseline,
                                      "stored": list(stored)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
