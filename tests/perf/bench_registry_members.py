"""Benchmark of the member register: bulk import rate and memory, snapshot time.

    python -m tests.perf.bench_registry_members [--members 5000000] [--societies 5000]
        [--indexes keep|rebuild]

Creates a throwaway PostgreSQL database, migrates the registry into it, inserts the
societies itself (``society`` rows with placeholders for what the society side
requires), writes a CSV of ``--members`` members over ``--societies`` societies, and
runs ``python -m services.registry.members.bulk_import`` on it as a child process,
reading its peak RSS. Then it adds one society of exactly 30,644 members (30,466 individuals,
178 firms: the bank of seed 003) and times its snapshot as on 31 March through the RPC
(a registry service on the broker) and through a real gateway process, signed in as a
registrar (the streamed CSV export, and the JSON snapshot paged). Prints figures, with
the import's phases; asserts nothing about time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Numeric, select

from services.registry.offices.tables import registrar_office
from services.registry.societies.tables import society


def _placeholder(column, name: str, now: datetime, office_id: str | None) -> Any:
    if column.foreign_keys and any(fk.column.table is registrar_office
                                   for fk in column.foreign_keys):
        return office_id
    kind = column.type
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, DateTime):
        return now
    if isinstance(kind, Date):
        return now.date()
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer | Numeric):
        return 0
    if column.name == "name_key":
        return name.lower()
    return "others" if column.name == "type" else "-"


def society_rows(connection, societies: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Rows for ``society`` from (id, registration number, name): the columns the member
    register reads, and a placeholder for every other column the society side requires
    (its own loader fills them properly)."""
    now = datetime.now(UTC)
    office_id = connection.execute(select(registrar_office.c.id).limit(1)).scalar()
    rows = []
    for society_id, number, name in societies:
        values = {"id": society_id, "registration_number": number,
                  "registration_date": date(2016, 1, 1), "name": name,
                  "status": "registered", "created_at": now}
        for column in society.columns:
            if (column.name in values or column.nullable or column.default is not None
                    or column.server_default is not None):
                continue
            values[column.name] = _placeholder(column, name, now, office_id)
        rows.append(values)
    return rows


def insert_societies(connection, societies: list[tuple[str, str, str]]) -> None:
    connection.execute(society.insert(), society_rows(connection, societies))


# ----------------------------------------------------------------------------- the run

BANK_INDIVIDUALS, BANK_FIRMS = 30_466, 178
AS_ON = "2025-03-31"
HEADER = ["society_registration_number", "membership_number", "name", "category",
          "admission_date", "phone", "email", "language", "shares"]


def write_csv(path, members: int, societies: int) -> None:
    import csv

    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(members):
            writer.writerow([f"BENCH/{i % societies}", f"M{i:08d}", f"Member Name {i}",
                             "firm" if i % 171 == 0 else "individual", "2015-06-01",
                             f"98{i % 100_000_000:08d}", f"m{i}@example.in", "hi", "10"])


def timed_import(path, url: str, *options: str) -> tuple[dict, float, int]:
    """(report, wall seconds, peak RSS in MiB of the import process)."""
    import json
    import resource
    import subprocess
    import sys
    import time

    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-m", "services.registry.members.bulk_import",
                            str(path), "--database-url", url, *options],
                           capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    if child.returncode != 0:
        raise SystemExit(f"import failed:\n{child.stdout}\n{child.stderr}")
    return json.loads(child.stdout), seconds, peak


async def snapshot_over_rpc(amqp_uri: str, society_id: str) -> tuple[int, float]:
    import time

    from gateway.context import CallContext
    from gateway.rpc import RpcClient

    client = RpcClient(amqp_uri, default_timeout=30)
    await client.connect(wait=5)
    try:
        context = CallContext(request_id="bench-snapshot")
        payload = {"society_id": society_id, "as_on": AS_ON, "limit": 5000, "after": None}
        await client.call("registry", "list_members", {**payload, "limit": 1},
                          context=context)  # warm
        started = time.perf_counter()
        count = 0
        while True:
            page = await client.call("registry", "list_members", payload, context=context)
            count += len(page["items"])
            if page["next"] is None:
                break
            payload["after"] = page["next"]
        return count, time.perf_counter() - started
    finally:
        await client.close()


def snapshot_through_gateway(amqp_uri: str, society_id: str, workdir) -> dict[str, float]:
    """The same snapshot through a real gateway process, signed in as a registrar: the
    streamed CSV export as on 31 March, and the JSON snapshot paged 5,000 at a time.
    Returns {what: seconds}; the gateway is stopped before returning."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    from tests.perf.bench_documents import make_token, wait_http
    from tests.support.ports import free_port

    port = free_port()
    env = dict(os.environ, AMQP_URI=amqp_uri, LOG_LEVEL="WARNING", GATEWAY_PORT=str(port),
               GATEWAY_ACCESS_LOG="false", GATEWAY_DATABASE_URL=f"sqlite:///{workdir}/gw.db",
               GATEWAY_ARGON2_MEMORY_KIB="1024", GATEWAY_ARGON2_TIME_COST="1")
    subprocess.run([sys.executable, "-m", "gateway", "migrate"], env=env, check=True,
                   capture_output=True)
    gateway = subprocess.Popen([sys.executable, "-m", "gateway", "run"], env=env)
    base = f"http://127.0.0.1:{port}/v1/societies/{society_id}/members"
    try:
        wait_http(f"http://127.0.0.1:{port}/health/live")
        headers = {"Authorization": f"Bearer {make_token(env, f'http://127.0.0.1:{port}')}"}
        timings: dict[str, float] = {}
        with httpx.Client(timeout=60, headers=headers) as client:
            client.get(f"{base}/snapshot", params={"as_on": AS_ON, "limit": 1}
                       ).raise_for_status()  # warm: sign-in cache, RPC reply queue
            started = time.perf_counter()
            with client.stream("GET", f"{base}/export.csv",
                                params={"as_on": AS_ON, "status": "active"}) as answer:
                answer.raise_for_status()
                lines = sum(chunk.count(b"\n") for chunk in answer.iter_bytes())
            timings[f"CSV export ({lines - 1:,} members)"] = time.perf_counter() - started
            started = time.perf_counter()
            params: dict[str, object] = {"as_on": AS_ON, "limit": 5000}
            count = 0
            while True:
                page = client.get(f"{base}/snapshot", params=params)
                page.raise_for_status()
                body = page.json()
                count += len(body["items"])
                if body["next_cursor"] is None:
                    break
                params["cursor"] = body["next_cursor"]
            timings[f"JSON snapshot pages ({count:,} members)"] = (
                time.perf_counter() - started)
        return timings
    finally:
        gateway.terminate()
        gateway.wait(timeout=20)


def main() -> None:
    import argparse
    import asyncio
    import csv
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    from sqlalchemy import create_engine

    from services.common.migrate import upgrade
    from tests.support import pg

    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5_000_000)
    parser.add_argument("--societies", type=int, default=5_000)
    parser.add_argument("--amqp-uri", default=os.environ.get(
        "TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
    parser.add_argument("--indexes", choices=("keep", "rebuild"), default="keep",
                        help="the import's --indexes")
    args = parser.parse_args()
    name, url = pg.create_database("benchmembers")
    workdir = Path(tempfile.mkdtemp(prefix="bench-members-"))
    service = None
    try:
        upgrade("registry", url)
        engine = create_engine(url)
        with engine.begin() as connection:
            insert_societies(connection, [(f"bench-{i}", f"BENCH/{i}", f"Bench society {i}")
                                          for i in range(args.societies)]
                             + [("bank", "MSCS/CR/BANK", "Bench bank")])
        engine.dispose()
        big = workdir / "members.csv"
        write_csv(big, args.members, args.societies)
        report, seconds, peak = timed_import(
            big, url, "--indexes", args.indexes)
        print(f"import: {report['imported']:,} members in {seconds:.1f} s = "
              f"{report['imported'] / seconds:,.0f} rows/s (in-process figure "
              f"{report['rows_per_second']:,} rows/s), peak RSS {peak} MiB, "
              f"file {big.stat().st_size / 2**20:,.0f} MiB, indexes {report['indexes']}")
        print("import phases (s): " + ", ".join(f"{phase} {took}" for phase, took
                                                 in report["phases"].items()))
        bank = workdir / "bank.csv"
        with open(bank, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["society_id", "membership_number", "name", "category",
                             "admission_date"])
            for i in range(BANK_INDIVIDUALS + BANK_FIRMS):
                writer.writerow(["bank", f"B{i:06d}", f"Bank member {i}",
                                 "firm" if i < BANK_FIRMS else "individual", "2010-01-01"])
        timed_import(bank, url)
        env = {**os.environ, "AMQP_URI": args.amqp_uri, "REGISTRY_DATABASE_URL": url,
               "REGISTRY_METRICS_PORT": "0", "LOG_LEVEL": "WARNING"}
        service = subprocess.Popen([sys.executable, "-m", "services.registry", "run"],
                                   env=env)
        time.sleep(4)
        count, took = asyncio.run(snapshot_over_rpc(args.amqp_uri, "bank"))
        print(f"snapshot as on {AS_ON} over RPC: {count:,} members in {took:.3f} s "
              f"({count / took:,.0f} members/s; target: <= 1 s)")
        for what, seconds in snapshot_through_gateway(args.amqp_uri, "bank", workdir).items():
            print(f"snapshot as on {AS_ON} through the gateway, {what}: {seconds:.3f} s "
                  f"(target: <= 1 s)")
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=20)
        pg.drop_database(name)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
