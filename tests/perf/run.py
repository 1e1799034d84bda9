"""The benchmark suite: ``python tests/perf/run.py`` (``make bench``).

Part 1 loads five HTTP routes with wrk, one after another on this machine, and prints
requests/s, p50, p99 and errors per route, the CPU each process spent per request, the
ratios between routes and whether the targets are met:

  a  bare FastAPI endpoint (same uvicorn settings as the gateway)
  b  gateway -> RPC -> service ``echo``
  c  gateway -> RPC -> service -> PostgreSQL, one row by primary key
  d  the read of (c) through pooled nameko ``ClusterRpcProxy`` in a sync endpoint
  e  the read of (c) from a twin service on nameko's stock ``@rpc`` entrypoint

Part 2 is tests/perf/green_db.py (concurrent queries with psycopg2 green or not).

Needs RabbitMQ and PostgreSQL on loopback (``make bench`` starts them where it may) and
wrk (``apt-get install -y wrk``). Every process it starts and the database it creates
are removed at the end, on Ctrl-C too. Misses are reported, never fatal.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.ports import free_port  # noqa: E402

# The set-up imports the chassis, which imports nameko, which imports eventlet (unpatched
# here: this process never runs nameko code).
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

PERF = ROOT / "tests" / "perf"
WRK_SCRIPT = PERF / "wrk_report.lua"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Targets from the issue: (c)/(a) >= 0.15 with p99 <= 100 ms and no errors; (c)/(d) >= 1.5.
TARGET_C_OVER_A = 0.15
TARGET_C_P99_MS = 100.0
TARGET_C_OVER_D = 1.5


@dataclass
class Route:
    key: str
    title: str
    server: str  # bench_app mode
    path: str
    ids: int = 0  # > 0: wrk appends a random id in 1..ids to the path
    service: str = ""  # which service process serves it ("source", "stock" or "")


@dataclass
class Result:
    route: Route
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    http_errors: int = 0
    socket_errors: int = 0
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per request, per process group
    machine_busy: float = 0.0  # share of all cores busy during the run
    raw: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.http_errors + self.socket_errors


def routes(rows: int) -> list[Route]:
    return [
        Route("a", "bare FastAPI endpoint", "bare", "/bare"),
        Route("b", "gateway -> RPC -> echo", "gateway", "/bench/echo", service="source"),
        Route("c", "gateway -> RPC -> PG row", "gateway", "/bench/notes/", rows, "source"),
        Route("d", "ClusterRpcProxy pool -> PG row", "proxy", "/bench/proxy-notes/", rows,
              "source"),
        Route("e", "gateway -> stock nameko rpc -> PG row", "gateway",
              "/bench/stock-notes/", rows, "stock"),
    ]


# --- the machine -------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_line() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{cpu_model()}, {os.cpu_count()} cores visible, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}; load average "
            f"before the run {load}")


def _proc_ticks(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _pids_named(*names: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if (entry / "comm").read_text().strip() in names:
                found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo.extend(int(k) for k in kids)
    return out


def _machine_ticks() -> tuple[int, int]:
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return sum(parts), idle


class CpuMeter:
    """CPU time of the processes involved in one route, between start() and stop()."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]):
        self.finders = groups

    def _sample(self) -> dict[str, dict[int, int]]:
        return {name: {p: _proc_ticks(p) for p in pids} for name, pids in self.groups.items()}

    def start(self) -> None:
        # Found now, after the warm-up: PostgreSQL forks a backend per new connection.
        self.groups = {name: find() for name, find in self.finders.items()}
        self._before = self._sample()
        self._children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._machine_before = _machine_ticks()

    def stop(self) -> tuple[dict[str, float], float]:
        after = self._sample()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine = _machine_ticks()
        # Per process, and only those alive at both ends: a process that exited meanwhile
        # (another tenant's PostgreSQL backend) would otherwise count negative.
        seconds = {name: sum(max(0, ticks - self._before[name].get(pid, ticks))
                             for pid, ticks in after[name].items() if ticks) / CLK_TCK
                   for name in after}
        # wrk has been waited for: its time shows in this process's children usage.
        seconds["wrk"] = ((children.ru_utime - self._children_before.ru_utime)
                          + (children.ru_stime - self._children_before.ru_stime))
        total = machine[0] - self._machine_before[0]
        idle = machine[1] - self._machine_before[1]
        busy = (total - idle) / total if total else 0.0
        return seconds, busy


# --- processes ---------------------------------------------------------------------------


class Processes:
    """Children started in their own sessions, stopped (and waited for) at the end."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict[str, str],
              cwd: Path = ROOT) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")  # the child keeps its copy
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.running[name] = proc
        return proc

    def log_tail(self, name: str, lines: int = 8) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, name: str, grace: float = 10.0) -> None:
        proc = self.running.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop_all(self) -> None:
        for name in list(self.running)[::-1]:
            self.stop(name)


def wait_http_ok(url: str, proc: subprocess.Popen, timeout: float = 45.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read()[:200]!r}"
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f}s (last: {last})")


# --- wrk ---------------------------------------------------------------------------------


def run_wrk(url: str, *, seconds: float, connections: int, threads: int, ids: int) -> dict:
    env = dict(os.environ, BENCH_IDS=str(ids))
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
           "--timeout", "5s", "-s", str(WRK_SCRIPT), url]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise RuntimeError(f"wrk gave no result (exit {out.returncode}):\n{out.stdout}\n{out.stderr}")


# --- set-up ------------------------------------------------------------------------------


def check_prerequisites(amqp_uri: str) -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. Install it with:\n    apt-get install -y wrk\n"
                 "(as root; Debian/Ubuntu package 'wrk'), then run this again.")
    from kombu import Connection

    try:
        with Connection(amqp_uri, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:
        sys.exit(f"RabbitMQ is not reachable at {amqp_uri}: {exc!r}\n"
                 "Start it (make bench starts a local one where it is installed).")
    from tests.support import pg

    try:
        pg._admin().close()
    except Exception as exc:
        sys.exit(f"PostgreSQL is not reachable ({pg.ADMIN_DSN}): {exc!r}\n"
                 "Start it (make bench starts a local one where it is installed), or set "
                 "TEST_PG_ADMIN_DSN and TEST_PG_URL_BASE.")


def fill_notes(url: str, rows: int) -> None:
    from sqlalchemy import insert

    from services.common.engine import make_engine
    from tests.support import probe

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(probe.note),
                               [{"text": f"note {i} " + "x" * 40} for i in range(1, rows + 1)])
    finally:
        engine.dispose()


def cleanup_broker(amqp_uri: str, names: list[str], exchanges: list[str]) -> None:
    from tests.support.broker import delete_exchanges, delete_queues

    with contextlib.suppress(Exception):
        delete_queues(names, amqp_uri)
        delete_exchanges(exchanges, amqp_uri)


# --- the run -----------------------------------------------------------------------------


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def print_table(results: dict[str, Result]) -> None:
    head = f"{'':2} {'route':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(head)
    print("-" * len(head))
    for key, res in results.items():
        print(f"{key:2} {res.route.title:38} {res.rps:8.0f} {fmt_ms(res.p50_ms):>8} "
              f"{fmt_ms(res.p99_ms):>8} {res.errors:7d}")


def print_cpu(results: dict[str, Result]) -> None:
    groups = ["wrk", "http server", "service", "rabbitmq", "postgres"]
    head = (f"{'':2} {'CPU ms per request:':24}" + "".join(f"{g:>12}" for g in groups)
            + f"{'sum':>8}{'machine busy':>14}")
    print(head)
    print("-" * len(head))
    for key, res in results.items():
        cells = "".join(f"{res.cpu_ms.get(g, 0.0):12.3f}" for g in groups)
        total = sum(res.cpu_ms.get(g, 0.0) for g in groups)
        print(f"{key:2} {'':24}{cells}{total:8.3f}{res.machine_busy * 100:13.0f}%")


def ratios(results: dict[str, Result]) -> dict[str, float | None]:
    def ratio(x: str, y: str) -> float | None:
        if x in results and y in results and results[y].rps:
            return results[x].rps / results[y].rps
        return None

    return {"b/a": ratio("b", "a"), "c/a": ratio("c", "a"), "c/d": ratio("c", "d"),
            "c/e": ratio("c", "e")}


def cpu_ratios(results: dict[str, Result]) -> dict[str, float]:
    def total(key: str) -> float:
        return sum(v for k, v in results[key].cpu_ms.items())

    out = {}
    for x, y in (("d", "c"), ("e", "c")):
        if x in results and y in results and total(y):
            out[f"{x}/{y}"] = total(x) / total(y)
    return out


def targets(results: dict[str, Result], r: dict[str, float | None]) -> list[tuple[str, bool]]:
    out = []
    c = results.get("c")
    if c is not None and r["c/a"] is not None:
        ok = r["c/a"] >= TARGET_C_OVER_A and c.p99_ms <= TARGET_C_P99_MS and c.errors == 0
        out.append((f"(c)/(a) >= {TARGET_C_OVER_A} with p99 <= {TARGET_C_P99_MS:.0f} ms and "
                    f"no errors: {r['c/a']:.3f}, p99 {c.p99_ms:.1f} ms, {c.errors} errors", ok))
    if r["c/d"] is not None:
        out.append((f"(c)/(d) >= {TARGET_C_OVER_D}: {r['c/d']:.2f}", r["c/d"] >= TARGET_C_OVER_D))
    return out


def measure(route: Route, base_url: str, meter: CpuMeter, args) -> Result:
    url = base_url + route.path
    if args.warmup > 0:
        run_wrk(url, seconds=args.warmup, connections=args.connections, threads=args.threads,
                ids=route.ids)
    meter.start()
    raw = run_wrk(url, seconds=args.duration, connections=args.connections,
                  threads=args.threads, ids=route.ids)
    seconds, busy = meter.stop()
    res = Result(route=route, raw=raw, requests=raw["requests"],
                 seconds=raw["duration_us"] / 1e6, p50_ms=raw["p50_us"] / 1000,
                 p90_ms=raw["p90_us"] / 1000, p99_ms=raw["p99_us"] / 1000,
                 max_ms=raw["max_us"] / 1000, http_errors=raw["status"],
                 socket_errors=raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
                 machine_busy=busy)
    if res.requests:
        res.cpu_ms = {name: s * 1000 / res.requests for name, s in seconds.items()}
    return res


def bench_http(args) -> dict:
    from tests.support import pg

    amqp_uri = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    check_prerequisites(amqp_uri)
    suffix = uuid.uuid4().hex[:8]
    source_name, stock_name = f"probesrc{suffix}", f"probestock{suffix}"
    log_dir = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    procs = Processes(log_dir)
    db_name = None
    selected = [r for r in routes(args.rows) if r.key in args.routes]
    results: dict[str, Result] = {}
    started = dt.datetime.now().astimezone()

    print(f"machine: {machine_line()}")
    print("note: a shared machine (other tenants, the load generator, RabbitMQ and "
          "PostgreSQL all on the same cores); figures move by 10-20 % between runs. "
          "Compare the ratios of one run, not absolute numbers across runs.")
    print(f"load: wrk -t{args.threads} -c{args.connections}, {args.warmup:g} s warm-up, "
          f"{args.duration:g} s measured per route; logs in {log_dir}\n", flush=True)
    try:
        db_name, db_url = pg.create_database("bench")
        env = dict(os.environ)
        env.update({
            "AMQP_URI": amqp_uri,
            f"PROBESRC{suffix.upper()}_DATABASE_URL": db_url,
            f"PROBESRC{suffix.upper()}_METRICS_PORT": "0",
            f"PROBESTOCK{suffix.upper()}_DATABASE_URL": db_url,
            f"PROBESTOCK{suffix.upper()}_METRICS_PORT": "0",
            "BENCH_SERVICE": source_name,
            "BENCH_STOCK_SERVICE": stock_name,
            "PYTHONUNBUFFERED": "1",
        })
        py = sys.executable
        probe_cmd = [py, "-m", "tests.support.probe_service", "--suffix", suffix,
                     "--role", "source"]
        subprocess.run([*probe_cmd, "migrate"], env=env, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        fill_notes(db_url, args.rows)
        service_pids: dict[str, int] = {}
        if any(r.service == "source" for r in selected):
            service_pids["source"] = procs.start("service-source", [*probe_cmd, "run"],
                                                 env).pid
        if any(r.service == "stock" for r in selected):
            service_pids["stock"] = procs.start("service-stock", [
                py, "-m", "tests.perf.stock_service", "--suffix", suffix], env).pid

        current_server: tuple[str, int, subprocess.Popen] | None = None
        for route in selected:
            if current_server is None or current_server[0] != route.server:
                if current_server is not None:
                    procs.stop(f"http-{current_server[0]}")
                port = free_port()
                server = procs.start(f"http-{route.server}", [
                    py, "-m", "tests.perf.bench_app", "--mode", route.server, "--port",
                    str(port), "--proxies", str(args.proxies)], env)
                current_server = (route.server, port, server)
            _, port, server = current_server
            base = f"http://127.0.0.1:{port}"
            probe_path = route.path + ("1" if route.ids else "")
            try:
                wait_http_ok(base + probe_path, server)
            except RuntimeError as exc:
                print(f"{route.key}: {route.title}: NOT MEASURED: {exc}")
                for name in (f"http-{route.server}", f"service-{route.service}"):
                    tail = procs.log_tail(name)
                    if tail:
                        print(f"--- last lines of {name}.log ---\n{tail}")
                continue
            groups = {
                "http server": lambda pid=server.pid: _children(pid),
                "rabbitmq": lambda: _pids_named("beam.smp", "erl_child_setup"),
                "postgres": lambda: _pids_named("postgres"),
            }
            if route.service:
                groups["service"] = lambda pid=service_pids[route.service]: _children(pid)
            print(f"{route.key}: {route.title} ...", end=" ", flush=True)
            res = measure(route, base, CpuMeter(groups), args)
            results[route.key] = res
            print(f"{res.rps:.0f} req/s, p50 {res.p50_ms:.1f} ms, p99 {res.p99_ms:.1f} ms, "
                  f"{res.errors} errors", flush=True)
    finally:
        # A second Ctrl-C must not cut the clean-up short.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        procs.stop_all()
        cleanup_broker(amqp_uri, [f"rpc-{source_name}", f"rpc-{stock_name}"],
                       [f"{source_name}.events", f"{stock_name}.events"])
        if db_name is not None:
            with contextlib.suppress(Exception):
                pg.drop_database(db_name)
        signal.signal(signal.SIGINT, previous)

    print(f"\nHTTP routes, {started:%Y-%m-%d %H:%M %Z}, wrk -t{args.threads} "
          f"-c{args.connections}, {args.duration:g} s each")
    print_table(results)
    print()
    print_cpu(results)
    r = ratios(results)
    print("\nratios of requests/s: " + ", ".join(
        f"({k[0]})/({k[2]}) = {v:.2f}" for k, v in r.items() if v is not None))
    cpu = cpu_ratios(results)
    if cpu:
        print("CPU per request over all processes (less noisy on a shared machine): " + ", ".join(
            f"({k[0]}) costs {v:.2f}x ({k[2]})" for k, v in cpu.items()))
    checks = targets(results, r)
    for text, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {text}")
    if not args.keep_logs:
        shutil.rmtree(log_dir, ignore_errors=True)
    return {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine_line(),
        "cpu_model": cpu_model(),
        "load": {"threads": args.threads, "connections": args.connections,
                 "warmup_s": args.warmup, "duration_s": args.duration, "rows": args.rows},
        "routes": {k: {"title": v.route.title, "rps": round(v.rps, 1), "p50_ms": v.p50_ms,
                       "p90_ms": v.p90_ms, "p99_ms": v.p99_ms, "max_ms": v.max_ms,
                       "http_errors": v.http_errors, "socket_errors": v.socket_errors,
                       "cpu_ms_per_request": {g: round(x, 4) for g, x in v.cpu_ms.items()},
                       "machine_busy": round(v.machine_busy, 3)}
                   for k, v in results.items()},
        "ratios": {k: (round(v, 3) if v is not None else None) for k, v in r.items()},
        "cpu_ratios": {k: round(v, 3) for k, v in cpu.items()},
        "targets": [{"target": t, "pass": ok} for t, ok in checks],
    }


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per route")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before each")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rows", type=int, default=1000, help="rows to read at random")
    parser.add_argument("--proxies", type=int, default=32, help="ClusterRpcProxy pool size")
    parser.add_argument("--routes", default="abcde", help="which routes, e.g. 'acd'")
    parser.add_argument("--skip-green", action="store_true", help="skip green_db.py")
    parser.add_argument("--only-green", action="store_true", help="run green_db.py only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs")
    parser.add_argument("--against", action="append", default=[], metavar="NAME=DIR",
                        help="instead of parts 1 and 2: routes b/c of this checkout side by "
                             "side with the checkout in DIR (repeatable; tests/perf/compare.py)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds for --against")
    args = parser.parse_args(argv)

    # A plain kill (SIGTERM) cleans up as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    random.seed()
    report: dict = {}
    try:
        if args.against:
            from tests.perf.compare import bench_compare

            print("=== side by side (tests/perf/compare.py) ===", flush=True)
            report["compare"] = bench_compare(args)
        elif not args.only_green:
            print("=== HTTP routes (wrk) ===", flush=True)
            report["http"] = bench_http(args)
        if not args.skip_green and not args.against:
            print("\n=== psycopg2 under eventlet: green or not (tests/perf/green_db.py) ===",
                  flush=True)
            out = subprocess.run([sys.executable, str(PERF / "green_db.py"), "--json"],
                                 cwd=ROOT, capture_output=True, text=True, check=False)
            sys.stdout.write(out.stdout.split("BENCH_JSON ", 1)[0])
            sys.stderr.write(out.stderr)
            if "BENCH_JSON " in out.stdout:
                report["green_db"] = json.loads(out.stdout.split("BENCH_JSON ", 1)[1])
    except KeyboardInterrupt:
        print("\ninterrupted: every process started and the database are cleaned up",
              file=sys.stderr)
        return 130
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
