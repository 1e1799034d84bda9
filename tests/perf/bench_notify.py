"""Benchmark of mass communication: one message to all 30,644 members of a society by
SMS and e-mail, and the same with the notify process killed in the middle.

    python -m tests.perf.bench_notify [--members 30644] [--kill-after 0.4]

Real parts throughout: a throwaway PostgreSQL database each for the registry and notify,
the registry service with the members imported by ``python -m services.registry.
member_import`` (two societies of ``--members`` each), the notify service as a child
process, the SMS provider stand-in and the SMTP sink on loopback (their own processes),
RabbitMQ. It prints, per run: how long the job took to be accepted, when every message
had reached each sink, the SMS sink's sustained rate, and at the sinks the unique
messages, the raw messages and the duplicates they saw. Targets (accepted < 1 s, all
at the sinks within 30 s, >= 2,000 SMS/s, exactly one per member after a kill) are
reported as met or missed; nothing here fails the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support import pg
from tests.support.sms_sink import SmsSink
from tests.support.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_registry(url: str, members: int) -> list[str]:
    """Two societies of ``members`` each, imported through the registry's own loader."""
    from sqlalchemy import create_engine

    from services.common.migrate import upgrade
    from tests.perf.bench_registry_members import insert_societies, write_csv

    upgrade("registry", url)
    societies = [(f"bench-soc-{n}", f"BENCH/{n}", f"Bench Society {n}") for n in range(2)]
    engine = create_engine(url)
    with engine.begin() as connection:
        insert_societies(connection, societies)
    engine.dispose()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "members.csv"
        write_csv(path, members * 2, 2)
        child = subprocess.run([sys.executable, "-m", "services.registry.member_import",
                                str(path), "--database-url", url], cwd=ROOT,
                               capture_output=True, text=True)
        if child.returncode != 0:
            raise SystemExit(f"member import failed:\n{child.stdout}\n{child.stderr}")
    return [society_id for society_id, _, _ in societies]


def start(module: str, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as handle:
        return subprocess.Popen([sys.executable, "-m", module, "run"], cwd=ROOT, env=env,
                                stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)


async def rpc(amqp_uri: str, method: str, payload: dict, timeout: float = 30):
    from gateway.context import CallContext
    from gateway.rpc import RpcClient

    client = RpcClient(amqp_uri, default_timeout=timeout)
    await client.connect(wait=5)
    try:
        context = CallContext(request_id=f"bench-{time.time_ns()}").with_actor(
            actor_id="bench-registrar", actor_role="registrar", actor_scope=None)
        started = time.perf_counter()
        answer = await client.call("notify", method, payload, context=context)
        return answer, time.perf_counter() - started
    finally:
        await client.close()


def wait_ready(amqp_uri: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            answer, _ = asyncio.run(rpc(amqp_uri, "health", {}, timeout=3))
            if answer["ok"]:
                return
        except Exception:
            time.sleep(0.5)
    raise SystemExit("notify did not become healthy")


def job_request(society_id: str) -> dict:
    return {"society_id": society_id, "template_key": "general_meeting_notice",
            "channels": ["sms", "email"],
            "variables": {"society_name": "Shri Veershaiv Co-op Bank",
                          "meeting": "annual general meeting", "at": "2026-01-16 11:00",
                          "venue": "Tararani Chowk, Kolhapur"}}


def watch(sms: SmsSink, smtp: SmtpSink, expected: int, limit: float, on_progress=None):
    """Poll the sinks until both hold ``expected`` unique messages; answers the times
    each got there (None: not within ``limit``) and the SMS sink's best 1 s rate."""
    started = time.perf_counter()
    done = {"sms": None, "email": None}
    samples = []
    while time.perf_counter() - started < limit:
        counts = {"sms": sms.stats()["unique"], "email": smtp.stats()["unique"]}
        now = time.perf_counter() - started
        samples.append((now, counts["sms"]))
        for channel, count in counts.items():
            if done[channel] is None and count >= expected:
                done[channel] = now
        if on_progress is not None:
            on_progress(counts)
        if all(done.values()):
            break
        time.sleep(0.25)
    best = 0.0
    for i, (t0, c0) in enumerate(samples):
        for t1, c1 in samples[i + 1:]:
            if t1 - t0 >= 1.0:
                best = max(best, (c1 - c0) / (t1 - t0))
                break
    first = next((t for t, c in samples if c > 0), None)
    last = done["sms"]
    average = expected / (last - first) if first is not None and last and last > first \
        else None
    return done, best, average


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=30_644)
    parser.add_argument("--kill-after", type=float, default=0.4,
                        help="kill notify when this share of the SMS have arrived")
    parser.add_argument("--amqp-uri", default=os.environ.get(
        "TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
    args = parser.parse_args()
    n = args.members
    logs = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    registry_db, registry_url = pg.create_database("benchnreg")
    notify_db, notify_url = pg.create_database("benchnotify")
    sms = SmsSink(free_port()).start()
    smtp = SmtpSink(free_port(), free_port()).start()
    processes: list[subprocess.Popen] = []
    try:
        print(f"importing 2 x {n} members into the registry ...", flush=True)
        societies = prepare_registry(registry_url, n)
        from services.common.migrate import upgrade
        from services.common.topology import declare_all

        upgrade("notify", notify_url)
        declare_all(args.amqp_uri)
        base = {**os.environ, "AMQP_URI": args.amqp_uri, "LOG_LEVEL": "WARNING"}
        registry_env = {**base, "REGISTRY_DATABASE_URL": registry_url,
                        "REGISTRY_METRICS_PORT": "0"}
        notify_env = {**base, "NOTIFY_DATABASE_URL": notify_url, "NOTIFY_METRICS_PORT": "0",
                      "NOTIFY_SMS_URL": sms.url, "NOTIFY_SMS_API_KEY": sms.api_key,
                      "NOTIFY_SMTP_PORT": str(smtp.port)}
        processes.append(start("services.registry", registry_env, logs / "registry.log"))
        notify = start("services.notify", notify_env, logs / "notify.log")
        processes.append(notify)
        wait_ready(args.amqp_uri)

        # -- run 1: the whole job, undisturbed ------------------------------------------
        job, accepted = asyncio.run(rpc(args.amqp_uri, "create_mass_message",
                                        job_request(societies[0])))
        done, best, average = watch(sms, smtp, n, limit=120)
        s1, e1 = sms.stats(), smtp.stats()
        print(f"\nrun 1: {n} members x (SMS + e-mail), job {job['id']}")
        print(f"  accepted in            {accepted * 1000:8.1f} ms   (target < 1000 ms)")
        print(f"  all SMS at the sink    {done['sms'] or float('nan'):8.2f} s    "
              "(target < 30 s)")
        print(f"  all e-mail at the sink {done['email'] or float('nan'):8.2f} s    "
              "(target < 30 s)")
        print(f"  SMS rate, best 1 s     {best:8.0f} /s   (target >= 2000 /s)")
        if average:
            print(f"  SMS rate, first to last{average:8.0f} /s")
        print(f"  sinks: SMS unique {s1['unique']} raw {s1['raw']} dup {s1['duplicates']}"
              f" requests {s1['requests']}; e-mail unique {e1['unique']} raw {e1['raw']}"
              f" dup {e1['duplicates']} sessions {e1['sessions']}")

        # -- run 2: kill -9 notify in the middle, restart it -----------------------------
        base_sms, base_email = s1["unique"], e1["unique"]
        job2, _ = asyncio.run(rpc(args.amqp_uri, "create_mass_message",
                                  job_request(societies[1])))
        killed = {"done": False}

        def kill_midway(counts):
            if not killed["done"] and counts["sms"] - base_sms >= n * args.kill_after:
                os.killpg(notify.pid, signal.SIGKILL)
                notify.wait()
                killed["done"] = True
                killed["at"] = dict(counts)
                processes.append(start("services.notify", notify_env, logs / "notify.log"))

        watch(sms, smtp, base_sms + n, limit=180, on_progress=kill_midway)
        time.sleep(2)  # anything still in flight lands
        s2, e2 = sms.stats(), smtp.stats()
        got_sms, got_email = s2["unique"] - base_sms, e2["unique"] - base_email
        print(f"\nrun 2: killed notify (SIGKILL) at {killed.get('at')}, restarted; "
              f"job {job2['id']}")
        print(f"  SMS    delivered once each: {got_sms} of {n}; raw requests carried "
              f"{s2['raw'] - s1['raw']} messages, duplicates absorbed by client reference: "
              f"{s2['duplicates'] - s1['duplicates']}")
        print(f"  e-mail unique Message-IDs: {got_email} of {n}; raw {e2['raw'] - e1['raw']},"
              f" repeated Message-IDs at the SMTP sink: {e2['duplicates'] - e1['duplicates']}")
        print(f"  exactly once at the sinks: "
              f"{'met' if got_sms == n and got_email == n else 'MISSED'}")
        print(f"\nlogs in {logs}")
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        sms.stop()
        smtp.stop()
        pg.drop_database(registry_db)
        pg.drop_database(notify_db)


if __name__ == "__main__":
    main()
