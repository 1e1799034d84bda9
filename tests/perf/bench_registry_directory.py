"""Registry benchmark: ``python tests/perf/bench_registry_directory.py [--rows 850000]``.

Part 1, the import: a register of ``--rows`` societies is generated as CSV and loaded by
``python -m services.registry.societies.bulk_import`` into a fresh PostgreSQL database
(target: at least 20,000 rows/s). The same command first loads a tenth of the rows into another
database; its peak memory beside the full run's shows that memory does not grow with
the file (target: full / tenth <= 1.5).

Part 2, the directory: the registry service and the real gateway run as processes on the
loaded database, and wrk drives them with 32 connections. The mix holds ``--searches``
(40,000) different searches, the kinds people make: name beginnings of several lengths
(alone or with a state, a type or a status), registration numbers, state / district /
type / status combinations, second pages (real cursors) and pages deep in a list; few
repeat within the gateway's 5-second store, so most reach the registry (the share served
from the store is printed). Each run reports req/s, p50, p99, errors and the CPU each
process spent per request (from /proc: the gateway, the registry, the whole RabbitMQ
broker, PostgreSQL's backends of this database):
  - baseline: the gateway's ``/health/live`` (no service call);
  - the directory with the store on (target: p99 <= 50 ms, no errors);
  - one society's public page by id (5,000 ids), the chassis's one-row read through the
    same gateway, broker and service: the floor a directory search stands on;
  - the directory and the one-row read again with the store off
    (``GATEWAY_DIRECTORY_CACHE_SECONDS=0``), every request reaching PostgreSQL.
Throughput is printed as a ratio to the baseline of the same run.

``--database-url URL`` runs part 2 on a register already loaded (no import, kept).

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
    out = subprocess.run([sys.executable, "-m", "services.registry.societies.bulk_import",
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
for p in io.lines(os.getenv("BENCH_PATHS_FILE")) do table.insert(paths, p) end
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


def sample_register(db_url: str, count: int) -> list[tuple[str, str, str, str, str]]:
    """``count`` societies picked evenly through the register (id, name key, number,
    state, district), for searches that find something."""
    import psycopg2

    dsn = db_url.replace("postgresql+psycopg2://", "postgresql://")
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, name_key, registration_number, state, district "
                       "FROM society TABLESAMPLE SYSTEM (5) REPEATABLE (11) LIMIT %s",
                       (count,))
        return cursor.fetchall()


def _search(params: dict) -> str:
    return "/v1/societies?" + urllib.parse.urlencode(params)


def directory_paths(base: str, sample: list[tuple], rng: random.Random, *,
                    distinct: int) -> list[str]:
    """About ``distinct`` different directory searches, the kinds people make: name
    beginnings of several lengths (alone, with a state, a type or a status), registration
    numbers, state / district / type / status combinations, second pages of some of
    them (cursors from real first pages) and pages deep in a state's or a district's
    list. Few repeat, so most miss the gateway's store."""
    combos = [(state, district) for state, (_, districts) in STATES.items()
              for district in districts]
    statuses = sorted(set(STATUSES))
    paths: set[str] = set()
    firsts: list[str] = []
    while len(paths) < distinct * 17 // 20:
        _ident, key, number, state, district = rng.choice(sample)
        words = key.split()
        shape = rng.randrange(10)
        if shape <= 2:  # a name beginning: a few letters, a word or two, most of a name
            cut = rng.choice([3, 4, 6, 9, 14, 20, len(" ".join(words[:4]))])
            path = _search({"q": key[:cut].strip() or key[:3]})
        elif shape == 3:
            path = _search({"q": " ".join(words[:rng.randint(1, 3)]), "state": state})
        elif shape == 4:
            path = _search({"q": " ".join(words[:2]), "type": rng.choice(TYPES)})
        elif shape == 5:
            path = _search({"registration_number": number})
        elif shape == 6:
            path = _search({"state": state, "type": rng.choice(TYPES),
                            "status": rng.choice(statuses)})
        elif shape == 7:
            state, district = rng.choice(combos)
            path = _search({"district": district, "type": rng.choice(TYPES)})
        elif shape == 8:
            state, district = rng.choice(combos)
            path = _search({"state": state, "district": district,
                            "status": rng.choice(statuses), "limit": rng.choice([10, 20, 50])})
        else:
            path = _search({"q": key[:rng.randint(3, 12)].strip(), "status": rng.choice(statuses),
                            "limit": rng.choice([10, 20, 50])})
        if path not in paths:
            paths.add(path)
            if "registration_number" not in path:
                firsts.append(path)
    # Second pages: the cursor of a real first page (fetched 8 at a time).
    from concurrent.futures import ThreadPoolExecutor

    def next_page(path: str) -> str | None:
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
            cursor = json.loads(response.read())["next_cursor"]
        return f"{path}&{urllib.parse.urlencode({'cursor': cursor})}" if cursor else None

    # Pages deep in a list, where someone paging on would arrive (the cursor of a
    # society picked anywhere in the register, within its state or district).
    from services.registry.societies.register import encode_cursor

    for _ident, key, _number, state, district in rng.sample(sample, min(len(sample),
                                                                         distinct // 20)):
        where = {"state": state} if rng.random() < .5 else {"district": district}
        paths.add(_search({**where, "cursor": encode_cursor(key, _ident)}))
    wanted = distinct - len(paths)
    with ThreadPoolExecutor(8) as pool:
        seconds = [p for p in pool.map(next_page, rng.sample(firsts, min(len(firsts),
                                                                       wanted * 2))) if p]
    paths.update(seconds[:wanted])
    ordered = sorted(paths)
    rng.shuffle(ordered)
    return ordered


def run_wrk(url: str, paths: list[str], *, seconds: int, connections: int,
            script: Path) -> dict:
    paths_file = script.with_suffix(".paths")
    paths_file.write_text("\n".join(paths) + "\n")
    env = dict(os.environ, BENCH_PATHS_FILE=str(paths_file))
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
                          "-s", str(script), url], env=env, capture_output=True, text=True,
                         check=False)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            figures = json.loads(line[len("BENCH_JSON "):])
            figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
            return figures
    raise RuntimeError(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")


def store_counts(base: str) -> dict[str, float]:
    """The gateway's directory store outcomes so far (its /metrics)."""
    counts = {"hit": 0.0, "miss": 0.0}
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:  # noqa: S310
        for line in response.read().decode().splitlines():
            if line.startswith("gateway_directory_cache_total{"):
                outcome = line.split('outcome="', 1)[1].split('"', 1)[0]
                counts[outcome] = float(line.rsplit(" ", 1)[1])
    return counts


def measure(label: str, base: str, paths: list[str], meter, args, script: Path) -> dict:
    """Warm up, then load ``paths`` with wrk while metering each process's CPU."""
    run_wrk(base, paths, seconds=args.warmup, connections=args.connections, script=script)
    before = store_counts(base)
    meter.start()
    figures = run_wrk(base, paths, seconds=args.duration, connections=args.connections,
                      script=script)
    seconds, busy = meter.stop()
    after = store_counts(base)
    hits, misses = after["hit"] - before["hit"], after["miss"] - before["miss"]
    figures["label"] = label
    figures["busy"] = busy
    figures["hit_share"] = hits / (hits + misses) if hits + misses else None
    figures["cpu_ms"] = {name: s * 1000 / figures["requests"] for name, s in seconds.items()
                         if name != "wrk"} if figures["requests"] else {}
    return figures


def backends_of(db_url: str, pids: list[int]) -> list[int]:
    """PostgreSQL's processes serving this database (not other work on the server)."""
    marker = f" {db_url.rsplit('/', 1)[1]} "
    found = []
    for pid in pids:
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in title:
            found.append(pid)
    return found


def report(runs: list[dict], baseline: dict) -> None:
    print(f"\n{'run':<44} {'req/s':>7} {'p50':>8} {'p99':>8} {'err':>4} {'store hits':>10} "
          f"{'/ health':>8}  CPU ms per request (gateway, registry, rabbitmq, postgres)")
    for r in runs:
        hits = "-" if r["hit_share"] is None else f"{r['hit_share']:.0%}"
        cpu = r["cpu_ms"]
        print(f"{r['label']:<44} {r['rps']:>7,.0f} {r['p50_us'] / 1000:>6.1f}ms "
              f"{r['p99_us'] / 1000:>6.1f}ms {r['errors'] + r['status']:>4} {hits:>10} "
              f"{r['rps'] / baseline['rps']:>8.2f}  "
              f"{cpu.get('gateway', 0):.2f} {cpu.get('registry', 0):.2f} "
              f"{cpu.get('rabbitmq', 0):.2f} {cpu.get('postgres', 0):.2f} "
              f"= {sum(cpu.values()):.2f} (machine {r['busy']:.0%} busy)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=850_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--searches", type=int, default=40_000,
                        help="distinct directory searches in the mix")
    parser.add_argument("--database-url",
                        help="a registry database already loaded (skips the import; kept)")
    args = parser.parse_args(argv)

    from tests.perf.run import CpuMeter, _children, _pids_named
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
        if args.database_url:
            db_url = args.database_url
            print(f"directory on the loaded database {db_url} (no import)")
        else:
            tenth = max(1, args.rows // 10)
            small_csv, full_csv = work / "societies-tenth.csv", work / "societies.csv"
            generate(small_csv, tenth)
            generate(full_csv, args.rows)
            print(f"generated {args.rows} rows ({full_csv.stat().st_size / 2**20:.0f} MiB)")
            imports = {}
            for label, path in (("tenth", small_csv), ("full", full_csv)):
                name, url = pg.create_database("benchreg")
                databases.append(name)
                subprocess.run([sys.executable, "-m", "services.registry", "migrate"],
                               cwd=ROOT, env=dict(env, REGISTRY_DATABASE_URL=url), check=True,
                               stdout=subprocess.DEVNULL)
                imports[label] = run_import(path, url, env)
                imports[label]["url"] = url
                figures = imports[label]
                print(f"import {label}: {figures['rows']} rows in "
                      f"{figures['wall_seconds']:.1f} s = {figures['rows_per_second']:,.0f} "
                      f"rows/s, peak RSS {figures['peak_rss_mib']:.0f} MiB", flush=True)
            full = imports["full"]
            memory_ratio = full["peak_rss_mib"] / imports["tenth"]["peak_rss_mib"]
            print(f"memory full / tenth: {memory_ratio:.2f} (10x the rows)")
            results.append((f"import >= {TARGET_ROWS_PER_SECOND:,} rows/s",
                            full["rows_per_second"] >= TARGET_ROWS_PER_SECOND))
            results.append((f"import memory full/tenth <= {TARGET_MEMORY_RATIO}",
                            memory_ratio <= TARGET_MEMORY_RATIO))
            db_url = full["url"]
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d",
                            db_url.rsplit("/", 1)[1], "-qc", "VACUUM ANALYZE society"],
                           check=False)

        # ---------------------------------------------------------------- directory
        port = free_port()
        gateway_db = f"sqlite:///{work / 'gateway.db'}"
        service_env = dict(env, REGISTRY_DATABASE_URL=db_url)
        gateway_env = dict(env, GATEWAY_DATABASE_URL=gateway_db, GATEWAY_PORT=str(port),
                           GATEWAY_HOST="127.0.0.1", GATEWAY_SERVICES="registry",
                           GATEWAY_ACCESS_LOG="false")
        subprocess.run([sys.executable, "-m", "gateway", "migrate"], cwd=ROOT,
                       env=gateway_env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        registry = procs.start("registry", [sys.executable, "-m", "services.registry", "run"],
                               service_env)
        base = f"http://127.0.0.1:{port}"
        script = work / "wrk_paths.lua"
        script.write_text(WRK_PATHS_LUA)
        sample = sample_register(db_url, 5_000)
        rng = random.Random(11)
        by_id = [f"/v1/societies/{row[0]}" for row in sample]
        runs = []
        for store in ("on", "off"):
            gateway = procs.start(f"gateway-store-{store}",
                                  [sys.executable, "-m", "gateway", "run"],
                                  dict(gateway_env, **({} if store == "on" else
                                                       {"GATEWAY_DIRECTORY_CACHE_SECONDS":
                                                        "0"})))
            wait_http_ok(base + "/v1/societies?state=Meghalaya", gateway, timeout=60)
            meter = CpuMeter({"gateway": lambda g=gateway: _children(g.pid),
                              "registry": lambda: _children(registry.pid),
                              "rabbitmq": lambda: _pids_named("beam.smp"),
                              "postgres": lambda: backends_of(db_url, _pids_named("postgres"))})
            if store == "on":
                paths = directory_paths(base, sample, rng, distinct=args.searches)
                print(f"{len(paths):,} distinct directory searches; "
                      f"{len(by_id):,} society pages", flush=True)
                baseline = measure("baseline: gateway /health/live", base, ["/health/live"],
                                   meter, args, script)
                runs.append(baseline)
            runs.append(measure(f"directory, store {store}", base, paths, meter, args,
                                script))
            runs.append(measure(f"one society by id, store {store}", base, by_id, meter,
                                args, script))
            procs.stop(f"gateway-store-{store}")
        report(runs, baseline)
        on, off = runs[1], runs[3]
        print(f"directory store off / one society by id store off (req/s): "
              f"{off['rps'] / runs[4]['rps']:.2f}")
        for label, figures in (("store on", on), ("store off", off)):
            results.append((f"directory p99 <= {TARGET_P99_MS:g} ms at {args.connections} "
                            f"clients, {label}", figures["p99_us"] / 1000 <= TARGET_P99_MS))
            results.append((f"directory without errors, {label}",
                            figures["errors"] == 0 and figures["status"] == 0))
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
