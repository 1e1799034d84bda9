"""Registry benchmark: ``python tests/perf/bench_registry_directory.py [--rows 850000]``.

Part 1, the import: a register of ``--rows`` societies is generated as CSV and loaded by
``python -m services.registry.society_import`` into a fresh PostgreSQL database (target:
at least 20,000 rows/s). The same command first loads a tenth of the rows into another
database; its peak memory beside the full run's shows that memory does not grow with
the file (target: full / tenth <= 1.5).

Part 2, the directory: the registry service and the real gateway run as processes on the
loaded database, and wrk drives the public directory through the gateway with 32
connections (target: p99 <= 50 ms, no errors), then once more with the gateway's store of
public answers turned off (reported). The requests mix the searches people make:
by name, by state, by district, by type and status, by registration number, and the
next page of a search. As a baseline measured in the same run, the gateway's
``/health/live`` (no service call) is loaded the same way, and the ratio is printed.

Needs RabbitMQ and PostgreSQL on loopback and wrk. Everything it starts and the databases
it creates are removed at the end. Misses are reported, never fatal.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.perf.run import (  # noqa: E402
    Processes,
    check_prerequisites,
    free_port,
    machine_line,
    wait_http_ok,
)

TARGET_ROWS_PER_SECOND = 20_000
TARGET_P99_MS = 50.0
TARGET_MEMORY_RATIO = 1.5

STATES = {  # state -> (office, districts)
    "Madhya Pradesh": ("mp", ["Bhopal", "Indore", "Gwalior", "Jabalpur", "Ujjain", "Sagar"]),
    "West Bengal": ("wb", ["Kolkata", "Howrah", "Nadia", "Hooghly", "Bankura", "Malda"]),
    "Meghalaya": ("ml", ["East Khasi Hills", "West Garo Hills", "Ri Bhoi", "Jaintia Hills"]),
    "Maharashtra": ("crcs", ["Pune", "Nashik", "Nagpur", "Kolhapur", "Satara", "Thane"]),
    "Karnataka": ("crcs", ["Belagavi", "Mysuru", "Dharwad", "Tumakuru", "Hassan"]),
}
TYPES = ["credit", "bank", "housing", "dairy", "pacs", "consumer", "marketing", "fishery",
         "weavers", "labour_contract", "engineers", "industrial", "cold_storage",
         "shg_federation", "others"]
STATUSES = ["registered"] * 90 + ["under_liquidation"] * 4 + ["wound_up"] * 3 + \
    ["revived"] * 2 + ["deregistered"]
WORDS = ["Adarsh", "Annapurna", "Bharat", "Gramin", "Jan", "Kisan", "Krishak", "Lok",
         "Mahila", "Nagrik", "Pragati", "Samruddhi", "Sahyog", "Shakti", "Shree", "Swaraj",
         "Udyog", "Unnati", "Vikas", "Yuva", "Ganga", "Narmada", "Sahyadri", "Vindhya",
         "Himalaya", "Kaveri", "Godavari", "Tapti", "Saraswati", "Janata"]
KIND_WORDS = {"credit": "Credit", "bank": "Urban Bank", "housing": "Griha Nirman",
              "dairy": "Dugdh Utpadak", "pacs": "Prathmik Krishi Saakh", "consumer": "Bhandar",
              "marketing": "Vipanan", "fishery": "Matsya", "weavers": "Bunkar",
              "labour_contract": "Shramik", "engineers": "Engineers", "industrial": "Audyogik",
              "cold_storage": "Sheet Grih", "shg_federation": "SHG Mahasangh",
              "others": "Bahuuddeshiya"}


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A deterministic register of ``rows`` societies."""
    rng = random.Random(seed)
    states = list(STATES)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["registration_number", "registration_date", "name", "address",
                         "state", "district", "area_of_operation", "type", "status",
                         "office_id", "email", "phone", "language"])
        for n in range(1, rows + 1):
            state = states[n % len(states)]
            office, districts = STATES[state]
            district = rng.choice(districts)
            kind = rng.choice(TYPES)
            year = rng.randint(1960, 2025)
            name = (f"{rng.choice(WORDS)} {rng.choice(WORDS)} {KIND_WORDS[kind]} Sahakari "
                    f"Sanstha Maryadit {district} {n}")
            area = f"{state};Karnataka" if office == "crcs" and n % 2 else state
            writer.writerow([f"LEG/{office.upper()}/{n}/{year}", f"{year}-04-01", name,
                             f"{n} Main Road, {district}", state, district, area, kind,
                             rng.choice(STATUSES), office, f"society{n}@example.in",
                             f"+91 98{n % 100000000:08d}", "hi" if n % 3 else "en"])


def run_import(csv_path: Path, db_url: str, env: dict[str, str]) -> dict:
    """Run the import command as a child; its wall time, rate and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "services.registry.society_import",
                          str(csv_path), "--database-url", db_url], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    # ru_maxrss of children is the largest child so far; the imports run in rising size.
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    if out.returncode != 0:
        raise RuntimeError(f"import failed ({out.returncode}): {summary}\n{out.stderr[-2000:]}")
    fields = dict(zip(summary.split()[::2], summary.split()[1::2], strict=False))
    return {"rows": int(fields["rows"]), "loaded": int(fields["loaded"]),
            "wall_seconds": seconds, "rows_per_second": int(fields["rows"]) / seconds,
            "peak_rss_mib": max(peak_kib, before) / 1024}


WRK_PATHS_LUA = """
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS"), "[^|]+") do table.insert(paths, p) end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("n", counter) end
function init(args) math.randomseed(os.time() * 1000 + (n or 0) * 7919) end
function request() return wrk.format(nil, paths[math.random(1, #paths)]) end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, ' ..
    '"status": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""


def directory_paths(base: str, rows: int, rng: random.Random) -> list[str]:
    """A mix of directory searches, with second pages from real cursors."""
    paths = []
    for _ in range(40):
        state = rng.choice(list(STATES))
        district = rng.choice(STATES[state][1])
        paths += [
            "/v1/societies?" + urllib.parse.urlencode({"q": rng.choice(WORDS).lower()}),
            "/v1/societies?" + urllib.parse.urlencode({"state": state}),
            "/v1/societies?" + urllib.parse.urlencode({"district": district,
                                                       "type": rng.choice(TYPES)}),
            "/v1/societies?" + urllib.parse.urlencode({"state": state,
                                                       "status": "under_liquidation"}),
            "/v1/societies?" + urllib.parse.urlencode({
                "q": f"{rng.choice(WORDS)} {rng.choice(WORDS)}".lower(), "state": state}),
        ]
    for _ in range(20):
        n = rng.randint(1, rows)
        paths.append("/v1/societies?" + urllib.parse.urlencode({"q": f"maryadit {n}"}))
    for path in list(paths[:40]):
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
            cursor = json.loads(response.read())["next_cursor"]
        if cursor:
            paths.append(f"{path}&cursor={cursor}")
    return paths


def run_wrk(url: str, paths: list[str], *, seconds: int, connections: int,
            script: Path) -> dict:
    env = dict(os.environ, BENCH_PATHS="|".join(paths))
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
                          "-s", str(script), url], env=env, capture_output=True, text=True,
                         check=False)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise RuntimeError(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=850_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args(argv)

    from tests.support import pg

    amqp_uri = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    check_prerequisites(amqp_uri)
    work = Path(tempfile.mkdtemp(prefix="bench-registry-"))
    procs = Processes(work)
    databases: list[str] = []
    env = dict(os.environ, AMQP_URI=amqp_uri, PYTHONUNBUFFERED="1", LOG_LEVEL="WARNING",
               REGISTRY_METRICS_PORT="0")
    results: list[tuple[str, bool]] = []
    print(f"machine: {machine_line()}")
    print(f"work directory (logs, CSV): {work}\n", flush=True)
    try:
        # ---------------------------------------------------------------- import
        tenth = max(1, args.rows // 10)
        small_csv, full_csv = work / "societies-tenth.csv", work / "societies.csv"
        generate(small_csv, tenth)
        generate(full_csv, args.rows)
        print(f"generated {args.rows} rows ({full_csv.stat().st_size / 2**20:.0f} MiB)")
        imports = {}
        for label, path in (("tenth", small_csv), ("full", full_csv)):
            name, url = pg.create_database("benchreg")
            databases.append(name)
            subprocess.run([sys.executable, "-m", "services.registry", "migrate"], cwd=ROOT,
                           env=dict(env, REGISTRY_DATABASE_URL=url), check=True,
                           stdout=subprocess.DEVNULL)
            imports[label] = run_import(path, url, env)
            imports[label]["url"] = url
            figures = imports[label]
            print(f"import {label}: {figures['rows']} rows in {figures['wall_seconds']:.1f} s "
                  f"= {figures['rows_per_second']:,.0f} rows/s, peak RSS "
                  f"{figures['peak_rss_mib']:.0f} MiB", flush=True)
        full = imports["full"]
        memory_ratio = full["peak_rss_mib"] / imports["tenth"]["peak_rss_mib"]
        print(f"memory full / tenth: {memory_ratio:.2f} (10x the rows)")
        results.append((f"import >= {TARGET_ROWS_PER_SECOND:,} rows/s",
                        full["rows_per_second"] >= TARGET_ROWS_PER_SECOND))
        results.append((f"import memory full/tenth <= {TARGET_MEMORY_RATIO}",
                        memory_ratio <= TARGET_MEMORY_RATIO))
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d",
                        full["url"].rsplit("/", 1)[1], "-qc", "VACUUM ANALYZE society"],
                       check=False)

        # ---------------------------------------------------------------- directory
        port = free_port()
        gateway_db = f"sqlite:///{work / 'gateway.db'}"
        service_env = dict(env, REGISTRY_DATABASE_URL=full["url"])
        gateway_env = dict(env, GATEWAY_DATABASE_URL=gateway_db, GATEWAY_PORT=str(port),
                           GATEWAY_HOST="127.0.0.1", GATEWAY_SERVICES="registry",
                           GATEWAY_ACCESS_LOG="false")
        subprocess.run([sys.executable, "-m", "gateway", "migrate"], cwd=ROOT,
                       env=gateway_env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        procs.start("registry", [sys.executable, "-m", "services.registry", "run"],
                    service_env)
        gateway = procs.start("gateway", [sys.executable, "-m", "gateway", "run"],
                              gateway_env)
        base = f"http://127.0.0.1:{port}"
        wait_http_ok(base + "/v1/societies?state=Meghalaya", gateway, timeout=60)
        paths = directory_paths(base, args.rows, random.Random(11))
        script = work / "wrk_paths.lua"
        script.write_text(WRK_PATHS_LUA)
        run_wrk(base, paths, seconds=args.warmup, connections=args.connections,
                script=script)
        directory = run_wrk(base, paths, seconds=args.duration,
                            connections=args.connections, script=script)
        baseline = run_wrk(base, ["/health/live"], seconds=args.duration,
                           connections=args.connections, script=script)
        for label, figures in (("directory via gateway", directory),
                               ("baseline /health/live", baseline)):
            rps = figures["requests"] / (figures["duration_us"] / 1e6)
            figures["rps"] = rps
            print(f"{label}: {rps:,.0f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
                  f"p99 {figures['p99_us'] / 1000:.1f} ms, errors {figures['errors']}, "
                  f"non-2xx {figures['status']} ({len(paths)} distinct searches)"
                  if label.startswith("directory") else
                  f"{label}: {rps:,.0f} req/s, p99 {figures['p99_us'] / 1000:.1f} ms")
        print(f"directory / baseline throughput: {directory['rps'] / baseline['rps']:.2f}")
        results.append((f"directory p99 <= {TARGET_P99_MS:g} ms at {args.connections} clients",
                        directory["p99_us"] / 1000 <= TARGET_P99_MS))
        results.append(("directory without errors",
                        directory["errors"] == 0 and directory["status"] == 0))

        # The same load with the gateway's directory store off: what every search costs
        # when it reaches the registry and PostgreSQL (reported, not a target).
        procs.stop("gateway")
        gateway = procs.start("gateway-uncached", [sys.executable, "-m", "gateway", "run"],
                              dict(gateway_env, GATEWAY_DIRECTORY_CACHE_SECONDS="0"))
        wait_http_ok(base + "/health/live", gateway, timeout=60)
        run_wrk(base, paths, seconds=args.warmup, connections=args.connections,
                script=script)
        uncached = run_wrk(base, paths, seconds=args.duration,
                           connections=args.connections, script=script)
        rps = uncached["requests"] / (uncached["duration_us"] / 1e6)
        print(f"directory, store off: {rps:,.0f} req/s, p50 {uncached['p50_us'] / 1000:.1f} "
              f"ms, p99 {uncached['p99_us'] / 1000:.1f} ms, errors {uncached['errors']}; "
              f"/ baseline {rps / baseline['rps']:.2f}")
    finally:
        procs.stop_all()
        for name in databases:
            pg.drop_database(name)
        for path in work.glob("*.csv"):
            path.unlink()
    print()
    for label, ok in results:
        print(f"{'MET ' if ok else 'MISS'} {label}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("BENCH_RUN_ID", uuid.uuid4().hex[:8])
    sys.exit(main(sys.argv[1:]))
