"""Why the chassis makes psycopg2 green: N concurrent ``SELECT pg_sleep(0.2)`` in eventlet
greenthreads, with psycopg2 made green (as ``services.common.green.patch()`` does) and
without (everything else monkey-patched as usual), each case in a process of its own so
nothing of one leaks into the other. Prints the wall time of each and their ratio.

Note: ``eventlet.monkey_patch()`` with its defaults already makes psycopg2 green (its
``psycopg`` option sets a wait callback); the "not green" case therefore passes
``psycopg=False`` and checks that no wait callback is installed.

``python tests/perf/green_db.py [--n 20] [--sleep 0.2]``; run.py runs it too.
Needs PostgreSQL on loopback (tests/support/pg.py: TEST_PG_ADMIN_DSN).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def measure(mode: str, n: int, sleep: float) -> dict:
    """Runs in a fresh process: ``green`` or ``plain``."""
    import warnings

    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    if mode == "green":
        from services.common import green

        green.patch()  # eventlet.monkey_patch() + psycogreen
    else:
        import eventlet

        eventlet.monkey_patch(psycopg=False)  # everything else patched as usual
    import time

    import eventlet
    import psycopg2
    import psycopg2.extensions

    green_driver = psycopg2.extensions.get_wait_callback() is not None
    if green_driver != (mode == "green"):
        raise SystemExit(f"{mode}: psycopg2 wait callback is {'set' if green_driver else 'unset'}")

    from tests.support.pg import ADMIN_DSN

    # Connections are opened first: only the queries are timed.
    connections = [psycopg2.connect(ADMIN_DSN) for _ in range(n)]
    try:
        def query(connection):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(%s)", (sleep,))
                cursor.fetchall()

        pool = eventlet.GreenPool(n)
        started = time.perf_counter()
        for connection in connections:
            pool.spawn(query, connection)
        pool.waitall()
        wall = time.perf_counter() - started
    finally:
        for connection in connections:
            connection.close()
    return {"mode": mode, "n": n, "sleep_s": sleep, "wall_s": round(wall, 4)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20, help="concurrent queries")
    parser.add_argument("--sleep", type=float, default=0.2, help="seconds each query sleeps")
    parser.add_argument("--mode", choices=("green", "plain"), help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="also print a BENCH_JSON line")
    args = parser.parse_args(argv)

    if args.mode:
        print(json.dumps(measure(args.mode, args.n, args.sleep)))
        return 0

    results = {}
    for mode in ("green", "plain"):
        out = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--n", str(args.n),
             "--sleep", str(args.sleep)],
            cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            print(f"{mode}: failed (exit {out.returncode})")
            return 1
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])

    green_s, plain_s = results["green"]["wall_s"], results["plain"]["wall_s"]
    ideal, serial = args.sleep, args.sleep * args.n
    print(f"{args.n} concurrent SELECT pg_sleep({args.sleep:g}) in eventlet greenthreads, "
          f"one connection each")
    print(f"  psycopg2 made green (psycogreen): {green_s:6.3f} s   (all at once: {ideal:g} s)")
    print(f"  psycopg2 not made green:          {plain_s:6.3f} s   (one by one: {serial:g} s)")
    ratio = plain_s / green_s if green_s else float("nan")
    print(f"  not green / green = {ratio:.1f}x")
    if args.json:
        print("BENCH_JSON " + json.dumps({"n": args.n, "sleep_s": args.sleep,
                                          "green_s": green_s, "plain_s": plain_s,
                                          "ratio": round(ratio, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
