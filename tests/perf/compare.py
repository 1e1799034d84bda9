"""Side by side: the RPC routes of this checkout against other checkouts, in one run.

``python tests/perf/run.py --against before=/path/to/checkout [--against ...] --rounds 3``

Each checkout (this one is ``now``) gets its own service process (tests/support/probe
source role, its own queue and database) and its own gateway process, both started from
that checkout's directory so they run its code; wrk, RabbitMQ and PostgreSQL are shared.
The routes (``--routes``, of b and c) are measured in rounds, each round every checkout
in turn, so a busy stretch of a shared machine falls on all of them alike. The report
gives, per checkout, the median requests/s, p50 and p99 of the rounds and the CPU per
request of each process group over all rounds. A checkout to compare with is made with
``git worktree add /tmp/before <commit>``.

The RabbitMQ and PostgreSQL columns count every such process on the machine, other
people's included on a shared one; the gateway and service columns are these processes
alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.perf import run as bench

GROUPS = ["wrk", "http server", "service", "rabbitmq", "postgres"]


@dataclass
class Checkout:
    name: str
    root: Path
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    base_url: str = ""
    gateway_pid: int = 0
    service_pid: int = 0

    @property
    def service(self) -> str:
        return f"probesrc{self.suffix}"


def parse_against(values: list[str]) -> list[Checkout]:
    out = [Checkout("now", bench.ROOT)]
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not Path(path).is_dir():
            sys.exit(f"--against wants NAME=DIRECTORY (a checkout), got {value!r}")
        out.append(Checkout(name, Path(path).resolve()))
    return out


def _env(checkout: Checkout, amqp_uri: str, db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    upper = checkout.suffix.upper()
    env.update({
        "AMQP_URI": amqp_uri,
        f"PROBESRC{upper}_DATABASE_URL": db_url,
        f"PROBESRC{upper}_METRICS_PORT": "0",
        "BENCH_SERVICE": checkout.service,
        "PYTHONPATH": str(checkout.root),
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _start(checkout: Checkout, procs: bench.Processes, amqp_uri: str, db_url: str,
           args) -> None:
    py = sys.executable
    env = _env(checkout, amqp_uri, db_url)
    probe = [py, "-m", "tests.support.probe_service", "--suffix", checkout.suffix,
             "--role", "source"]
    bench.subprocess.run([*probe, "migrate"], env=env, check=True, cwd=checkout.root,
                         stdout=bench.subprocess.DEVNULL)
    bench.fill_notes(db_url, args.rows)
    checkout.service_pid = procs.start(f"service-{checkout.name}", [*probe, "run"], env,
                                       cwd=checkout.root).pid
    port = bench.free_port()
    server = procs.start(f"http-{checkout.name}", [
        py, "-m", "tests.perf.bench_app", "--mode", "gateway", "--port", str(port)], env,
        cwd=checkout.root)
    checkout.gateway_pid = server.pid
    checkout.base_url = f"http://127.0.0.1:{port}"
    bench.wait_http_ok(checkout.base_url + "/bench/notes/1", server)


def bench_compare(args) -> dict:
    from tests.support import pg

    amqp_uri = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    bench.check_prerequisites(amqp_uri)
    checkouts = parse_against(args.against)
    keys = [k for k in "bc" if k in args.routes] or ["c"]
    selected = {r.key: r for r in bench.routes(args.rows) if r.key in keys}
    log_dir = Path(tempfile.mkdtemp(prefix="bench-compare-logs-"))
    procs = bench.Processes(log_dir)
    databases: list[str] = []
    # results[checkout][route] = one Result per round
    results: dict[str, dict[str, list[bench.Result]]] = {
        c.name: {k: [] for k in keys} for c in checkouts}
    print(f"machine: {bench.machine_line()}")
    print(f"compare: {', '.join(f'{c.name}={c.root}' for c in checkouts)}; routes "
          f"{''.join(keys)}; {args.rounds} rounds of wrk -t{args.threads} "
          f"-c{args.connections}, {args.warmup:g} s warm-up + {args.duration:g} s each; "
          f"logs in {log_dir}\n", flush=True)
    try:
        for checkout in checkouts:
            db_name, db_url = pg.create_database("benchcmp")
            databases.append(db_name)
            _start(checkout, procs, amqp_uri, db_url, args)
        for round_no in range(1, args.rounds + 1):
            order = checkouts if round_no % 2 else checkouts[::-1]
            for key in keys:
                for checkout in order:
                    groups = {
                        "http server": lambda pid=checkout.gateway_pid: bench._children(pid),
                        "service": lambda pid=checkout.service_pid: bench._children(pid),
                        "rabbitmq": lambda: bench._pids_named("beam.smp", "erl_child_setup"),
                        "postgres": lambda: bench._pids_named("postgres"),
                    }
                    res = bench.measure(selected[key], checkout.base_url,
                                        bench.CpuMeter(groups), args)
                    results[checkout.name][key].append(res)
                    cpu = res.cpu_ms
                    print(f"round {round_no} {key} {checkout.name:>8}: {res.rps:6.0f} req/s, "
                          f"p50 {res.p50_ms:5.1f} ms, p99 {res.p99_ms:6.1f} ms, "
                          f"{res.errors} errors; CPU ms/req gateway "
                          f"{cpu.get('http server', 0):.3f} service {cpu.get('service', 0):.3f}"
                          f" rabbitmq {cpu.get('rabbitmq', 0):.3f}", flush=True)
    finally:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        procs.stop_all()
        bench.cleanup_broker(amqp_uri, [f"rpc-{c.service}" for c in checkouts],
                             [f"{c.service}.events" for c in checkouts])
        for name in databases:
            with contextlib.suppress(Exception):
                pg.drop_database(name)
        signal.signal(signal.SIGINT, previous)
    return report(checkouts, keys, results)


def _summary(rounds: list[bench.Result]) -> dict:
    requests = sum(r.requests for r in rounds)
    cpu = {g: (sum(r.cpu_ms.get(g, 0.0) * r.requests for r in rounds) / requests
               if requests else 0.0) for g in GROUPS}
    return {
        "rps_median": statistics.median(r.rps for r in rounds),
        "rps_each": [round(r.rps, 1) for r in rounds],
        "p50_ms_median": statistics.median(r.p50_ms for r in rounds),
        "p99_ms_median": statistics.median(r.p99_ms for r in rounds),
        "errors": sum(r.errors for r in rounds),
        "cpu_ms_per_request": cpu,
        "cpu_ms_sum": sum(cpu.values()),
    }


def report(checkouts: list[Checkout], keys: list[str],
           results: dict[str, dict[str, list[bench.Result]]]) -> dict:
    out: dict = {}
    print()
    for key in keys:
        print(f"route {key}: median of rounds; CPU ms per request over all rounds")
        head = (f"{'':10}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
                + "".join(f"{g:>12}" for g in GROUPS) + f"{'sum':>8}")
        print(head)
        print("-" * len(head))
        for checkout in checkouts:
            rounds = results[checkout.name][key]
            if not rounds:
                continue
            s = _summary(rounds)
            out.setdefault(key, {})[checkout.name] = s
            print(f"{checkout.name:10}{s['rps_median']:8.0f}{s['p50_ms_median']:8.1f}"
                  f"{s['p99_ms_median']:8.1f}{s['errors']:7d}"
                  + "".join(f"{s['cpu_ms_per_request'][g]:12.3f}" for g in GROUPS)
                  + f"{s['cpu_ms_sum']:8.3f}")
        now = out.get(key, {}).get("now")
        for checkout in checkouts[1:]:
            other = out.get(key, {}).get(checkout.name)
            if now and other and other["rps_median"]:
                gw = _ratio(now, other, "http server")
                svc = _ratio(now, other, "service")
                print(f"now / {checkout.name}: req/s {now['rps_median'] / other['rps_median']:.2f}"
                      f", CPU per request gateway {gw}, service {svc}")
        print()
    return out


def _ratio(now: dict, other: dict, group: str) -> str:
    b = other["cpu_ms_per_request"][group]
    return f"{now['cpu_ms_per_request'][group] / b:.2f}" if b else "-"
