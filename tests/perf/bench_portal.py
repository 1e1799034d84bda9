"""Portal benchmark: ``python tests/perf/bench_portal.py [--societies 20000] [--seconds 10]``.

The registry and the real gateway (with the portal) run as processes on a fresh
PostgreSQL database holding ``--societies`` societies; wrk drives each route with 32
connections (4 threads) for ``--seconds``:
  - baseline: ``/health/live`` (no service call);
  - the directory as JSON, ``/v1/societies?q=...`` and as the portal's page,
    ``/societies?q=...`` (the same registry call, the same store of public answers; the
    page adds the Jinja2 render of 20 rows in the visitor's language), with the gateway's
    5-second store on (the default) and with it off (every request reaches PostgreSQL);
  - the page in Hindi (the ``portal_lang`` cookie) with the store on;
  - a dealing officer's work queue (``/work``, ``--applications`` submitted applications
    of the office, four registry calls a page) beside the JSON list it is built from.
Target: the directory page's and the work queue's p99 <= 100 ms at 32 clients. Also
printed: the page's HTML size and its CSS + JS, gzip-compressed (target <= 100 KB).

Needs RabbitMQ and PostgreSQL on loopback and wrk. Everything it starts and the database it
creates are removed at the end. Misses are reported, never fatal.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.perf.run import (  # noqa: E402
    WRK_SCRIPT,
    Processes,
    free_port,
    machine_line,
    wait_http_ok,
)

TARGET_P99_MS = 100.0
TARGET_WEIGHT_BYTES = 100 * 1024
CONNECTIONS, THREADS = 32, 4
QUERY = "Kaveri"
WORDS = ["Adarsh", "Bharat", "Gramin", "Kaveri", "Kisan", "Mahila", "Pragati", "Sahyog",
         "Shakti", "Unnati"]


def run_wrk(url: str, seconds: float, header: str | None = None) -> dict:
    import subprocess

    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s",
           "--timeout", "5s", "-s", str(WRK_SCRIPT)]
    if header:
        cmd += ["-H", header]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise RuntimeError(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")


def fill(url: str, count: int) -> None:
    from sqlalchemy import create_engine

    from tests.perf.bench_registry_members import insert_societies

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for start in range(0, count, 5000):
                insert_societies(connection, [
                    (f"bp{i:07d}", f"MSCS/CR/{i}/2016",
                     f"{WORDS[i % len(WORDS)]} Co-operative Society {i:07d}")
                    for i in range(start, min(count, start + 5000))])
    finally:
        engine.dispose()


def officer_header(http, work: Path, applications: int) -> str:
    """``applications`` submitted registrations at the crcs office, and the header of a
    dealing officer of that office signed in."""
    from tests.e2e.harness import signed_in
    from tests.gateway.identity_kit import make_kit

    kit = make_kit(f"sqlite:///{work / 'gateway.db'}")
    applicant = signed_in(http, kit, "applicant")
    for i in range(applications):
        created = http.post("/v1/applications", headers=applicant, json={
            "kind": "registration", "office_id": "crcs", "data": {"name": f"Queue {i}"},
            "applicant": {"name": f"Applicant {i}", "language": "en"}})
        assert created.status_code == 201, created.text
        application_id = created.json()["id"]
        http.post(f"/v1/applications/{application_id}/promoters", headers=applicant,
                  json={"name": "Meera Naik", "aadhaar_number": "456789012345",
                        "otp": "123456"})
        http.post(f"/v1/applications/{application_id}/submit", headers=applicant)
    token = signed_in(http, kit, "dealing_officer", "office", "crcs")["Authorization"]
    return f"Authorization: {token}"


def page_weight(base: str) -> tuple[int, int]:
    """(the directory page's HTML gzipped, its CSS + JS gzipped) in bytes."""
    with urllib.request.urlopen(f"{base}/societies?q={QUERY}") as answer:  # noqa: S310
        html = answer.read()
    assets = re.findall(rb'(?:href|src)="(/static/portal/[^"]+)"', html)
    weight = 0
    for path in assets:
        with urllib.request.urlopen(base + path.decode()) as answer:  # noqa: S310
            weight += len(gzip.compress(answer.read(), 9))
    return len(gzip.compress(html, 9)), weight


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--societies", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--applications", type=int, default=200)
    args = parser.parse_args(argv)

    import httpx

    from tests.e2e.harness import base_env, start_deployed
    from tests.support import pg
    from tests.support.broker import AMQP_URI, delete_queues

    work = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    db_name, db_url = pg.create_database("benchportal")
    processes = Processes(work)
    procs = []
    results: dict[str, dict] = {}
    try:
        ports = {"on": free_port(), "off": free_port()}
        common = dict(AMQP_URI=AMQP_URI, REGISTRY_DATABASE_URL=db_url,
                      REGISTRY_METRICS_PORT="0", GATEWAY_SERVICES="registry",
                      GATEWAY_DATABASE_URL=f"sqlite:///{work / 'gateway.db'}",
                      GATEWAY_HOST="127.0.0.1", GATEWAY_ACCESS_LOG="false",
                      PORTAL_COOKIE_SECURE="false", LOG_LEVEL="WARNING")
        http = httpx.Client(base_url=f"http://127.0.0.1:{ports['on']}", timeout=20)
        procs = start_deployed(("registry",), base_env(**common, GATEWAY_PORT=str(ports["on"])),
                               work, http, 90)
        fill(db_url, args.societies)
        officer = officer_header(http, work, args.applications)
        off = processes.start("gateway-store-off", [sys.executable, "-m", "gateway", "run"],
                              base_env(**common, GATEWAY_PORT=str(ports["off"]),
                                       GATEWAY_DIRECTORY_CACHE_SECONDS="0"))
        wait_http_ok(f"http://127.0.0.1:{ports['off']}/health/live", off)
        on, no_store = (f"http://127.0.0.1:{ports[k]}" for k in ("on", "off"))
        runs = [
            ("baseline /health/live", f"{on}/health/live", None),
            ("JSON directory, store on", f"{on}/v1/societies?q={QUERY}", None),
            ("portal directory, store on", f"{on}/societies?q={QUERY}", None),
            ("portal directory in Hindi, store on", f"{on}/societies?q={QUERY}",
             "Cookie: portal_lang=hi"),
            ("JSON directory, store off", f"{no_store}/v1/societies?q={QUERY}", None),
            ("portal directory, store off", f"{no_store}/societies?q={QUERY}", None),
            ("JSON applications, one stage", f"{on}/v1/applications?stage=submitted&limit=100",
             officer),
            ("portal work queue", f"{on}/work", officer),
        ]
        for name, url, header in runs:
            run_wrk(url, 2, header)  # warm up
            results[name] = run_wrk(url, args.seconds, header)
        html_gz, assets_gz = page_weight(on)
    finally:
        processes.stop_all()
        for proc in reversed(procs):
            proc.kill()
        delete_queues(["rpc-registry"])
        pg.drop_database(db_name)

    print(machine_line())
    print(f"{args.societies} societies; {CONNECTIONS} connections, {THREADS} threads, "
          f"{args.seconds:.0f} s per route; query q={QUERY}")
    print(f"{'route':40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        seconds = r["duration_us"] / 1e6
        errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
        print(f"{name:40} {r['requests'] / seconds:8.0f} {r['p50_us'] / 1000:8.1f} "
              f"{r['p99_us'] / 1000:8.1f} {errors:7d}")
    misses = []
    for name in ("portal directory, store on", "portal directory, store off",
                 "portal work queue"):
        p99 = results[name]["p99_us"] / 1000
        if p99 > TARGET_P99_MS:
            misses.append(f"{name}: p99 {p99:.1f} ms > {TARGET_P99_MS:.0f} ms")
    print(f"directory page: HTML {html_gz} B gzipped; CSS + JS {assets_gz} B gzipped "
          f"(target <= {TARGET_WEIGHT_BYTES} B)")
    if assets_gz > TARGET_WEIGHT_BYTES:
        misses.append(f"CSS + JS {assets_gz} B > {TARGET_WEIGHT_BYTES} B")
    print("targets: " + ("all met" if not misses else "MISSED: " + "; ".join(misses)))
    print("BENCH_JSON " + json.dumps({"results": results, "html_gz": html_gz,
                                      "assets_gz": assets_gz, "run": uuid.uuid4().hex[:8]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
