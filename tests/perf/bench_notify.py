"""Benchmark of mass communication: one message to all 30,644 members of a society by
SMS and e-mail, and the same with the notify process killed in the middle.

    python -m tests.perf.bench_notify [--members 30644] [--kill-after 0.4]
                                      [--runs all|plain|common|kill]

Real parts throughout: a throwaway PostgreSQL database each for the registry and notify,
the registry service with the members imported by ``python -m services.registry.
members.bulk_import`` (two societies of ``--members`` each), the notify service as a child
process, the SMS provider stand-in and the SMTP sink on loopback (their own processes),
RabbitMQ. Three runs, each counted from fresh sinks: the built-in meeting notice, which
greets each member by name (a text per member: one SMTP transaction each); a notice
without the name (one text per language: up to 100 recipients per transaction); and
the personalised notice with notify killed (SIGKILL) midway and restarted.

It prints, per run: how long the job took to be accepted, when every message had
reached each sink, the SMS sink's sustained rate, the CPU seconds of each process,
notify's phases (``notify_phase_seconds``: registry pages, queueing, claim/send/record
per channel), and
at the sinks the unique deliveries, the raw ones and the repeats. Targets (accepted
< 1 s, all at the sinks within 30 s, >= 2,000 SMS/s, exactly one per member after a
kill) are reported as figures; nothing here fails the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support import pg
from tests.support.ports import free_port
from tests.support.sms_sink import SmsSink
from tests.support.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]


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
        child = subprocess.run([sys.executable, "-m", "services.registry.members.bulk_import",
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


PERSONAL = "general_meeting_notice"   # built in: "Dear {recipient_name}, ..."
COMMON = "bench_meeting_notice"        # published here: one text per language


def publish_common_template(amqp_uri: str) -> None:
    """The meeting notice without the member's name: every member of a language gets
    the identical text, which the e-mail sender sends as one transaction per 100."""
    texts = {
        "en": ("{society_name}: notice of the {meeting}",
               "Dear member,\n\nThe {meeting} of {society_name} will be held on {at} at "
               "{venue}. Your presence is requested.",
               "{society_name}: {meeting} on {at} at {venue}."),
        "hi": ("{society_name}: {meeting} की सूचना",
               "प्रिय सदस्य,\n\n{society_name} की {meeting} {at} को {venue} में होगी। "
               "आपकी उपस्थिति अपेक्षित है।",
               "{society_name}: {meeting} {at} को {venue} में।"),
    }
    for language, (subject, body, sms) in texts.items():
        asyncio.run(rpc(amqp_uri, "publish_template", {
            "key": COMMON, "language": language, "subject": subject, "body": body,
            "sms": sms, "variables": ["society_name", "meeting", "at", "venue"]}))


def job_request(society_id: str, template_key: str = PERSONAL) -> dict:
    return {"society_id": society_id, "template_key": template_key,
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped children, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def phase_seconds(metrics_url: str) -> dict[tuple[str, str], tuple[float, float]]:
    """notify's ``notify_phase_seconds`` histogram: (channel, phase) -> (seconds, count)."""
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    text = httpx.get(metrics_url, timeout=5).text
    found: dict[tuple[str, str], list[float]] = {}
    for family in text_string_to_metric_families(text):
        if family.name != "notify_phase_seconds":
            continue
        for sample in family.samples:
            label = (sample.labels.get("channel", ""), sample.labels.get("phase", ""))
            if sample.name.endswith("_sum"):
                found.setdefault(label, [0.0, 0.0])[0] = sample.value
            elif sample.name.endswith("_count"):
                found.setdefault(label, [0.0, 0.0])[1] = sample.value
    return {label: (total, count) for label, (total, count) in found.items()}


def print_phases(before: dict, after: dict) -> None:
    """Wall-clock seconds in each phase during the run (phases of parallel senders add
    up), and how often it ran."""
    rows = []
    for label, (total, count) in sorted(after.items()):
        total0, count0 = before.get(label, (0.0, 0.0))
        if count > count0:
            rows.append(f"{label[0]}/{label[1]} {total - total0:.1f} s x{int(count - count0)}")
    print("  phases (summed over senders): " + ", ".join(rows))


def run_plain(args, society_id: str, sms: SmsSink, smtp: SmtpSink, pids: dict,
              template_key: str, title: str) -> None:
    """The whole job, undisturbed: time to accept, time until each sink holds every
    message, the SMS sink's rate, the CPU each process spent and notify's phases."""
    n = args.members
    sms.reset()
    smtp.reset()
    cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
    phases = phase_seconds(args.metrics_url)
    job, accepted = asyncio.run(rpc(args.amqp_uri, "create_mass_message",
                                    job_request(society_id, template_key)))
    done, best, average = watch(sms, smtp, n, limit=120)
    cpu = {name: cpu_seconds(pid) - cpu[name] for name, pid in pids.items()}
    s1, e1 = sms.stats(), smtp.stats()
    print(f"\n{title}: {n} members x (SMS + e-mail), template {template_key}, "
          f"job {job['id']}")
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
          f" dup {e1['duplicates']} sessions {e1['sessions']}"
          f" transactions {e1['transactions']}")
    print("  CPU seconds: " + ", ".join(f"{name} {seconds:.1f}"
                                         for name, seconds in cpu.items()))
    print_phases(phases, phase_seconds(args.metrics_url))


def run_killed(args, society_id: str, sms: SmsSink, smtp: SmtpSink,
               notify: subprocess.Popen, restart) -> subprocess.Popen | None:
    """The same job with notify killed (SIGKILL) midway and restarted; counts each sink's
    unique, raw and repeated messages from fresh counts."""
    n = args.members
    sms.reset()
    smtp.reset()
    job, _ = asyncio.run(rpc(args.amqp_uri, "create_mass_message",
                             job_request(society_id)))
    killed: dict = {"process": None}

    def kill_midway(counts):
        if killed["process"] is None and counts["sms"] >= n * args.kill_after:
            os.killpg(notify.pid, signal.SIGKILL)
            notify.wait()
            killed["at"] = dict(counts)
            killed["process"] = restart()

    watch(sms, smtp, n, limit=180, on_progress=kill_midway)
    time.sleep(2)  # anything still in flight lands
    s2, e2 = sms.stats(), smtp.stats()
    print(f"\nkilled: notify killed (SIGKILL) at {killed.get('at')}, restarted; "
          f"job {job['id']}")
    print(f"  SMS    delivered once each: {s2['unique']} of {n}; raw requests carried "
          f"{s2['raw']} messages, duplicates absorbed by client reference: "
          f"{s2['duplicates']}")
    print(f"  e-mail unique (Message-ID, recipient): {e2['unique']} of {n}; raw "
          f"{e2['raw']}, repeated at the SMTP sink: {e2['duplicates']}")
    print(f"  exactly once at the sinks: "
          f"{'met' if s2['unique'] == n and e2['unique'] == n else 'MISSED'}")
    return killed["process"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=30_644)
    parser.add_argument("--kill-after", type=float, default=0.4,
                        help="kill notify when this share of the SMS have arrived")
    parser.add_argument("--runs", choices=("all", "plain", "common", "kill"),
                        default="all",
                        help="personalised texts undisturbed, identical texts "
                             "undisturbed, personalised with notify killed midway, or all")
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
        metrics_port = free_port()
        args.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
        notify_env = {**base, "NOTIFY_DATABASE_URL": notify_url,
                      "NOTIFY_METRICS_PORT": str(metrics_port),
                      "NOTIFY_SMS_URL": sms.url, "NOTIFY_SMS_API_KEY": sms.api_key,
                      "NOTIFY_SMTP_PORT": str(smtp.port)}
        processes.append(start("services.registry", registry_env, logs / "registry.log"))
        notify = start("services.notify", notify_env, logs / "notify.log")
        processes.append(notify)
        wait_ready(args.amqp_uri)

        pids = {"registry": processes[0].pid, "sms sink": sms.process.pid,
                "smtp sink": smtp.process.pid}
        if args.runs in ("all", "plain"):
            run_plain(args, societies[0], sms, smtp, {**pids, "notify": notify.pid},
                      PERSONAL, "personal (a text per member)")
        if args.runs in ("all", "common"):
            publish_common_template(args.amqp_uri)
            run_plain(args, societies[0], sms, smtp, {**pids, "notify": notify.pid},
                      COMMON, "common (one text per language)")
        if args.runs in ("all", "kill"):
            restarted = run_killed(args, societies[1], sms, smtp, notify,
                                   lambda: start("services.notify", notify_env,
                                                 logs / "notify.log"))
            if restarted is not None:
                processes.append(restarted)
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
