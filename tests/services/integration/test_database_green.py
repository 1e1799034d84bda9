"""psycopg2 made green: slow queries of concurrent workers overlap instead of queueing."""

import time

import eventlet
from sqlalchemy import text

from services.common.engine import make_engine


def test_concurrent_slow_queries_overlap(pg_database):
    engine = make_engine(pg_database("green"), pool_size=10)
    try:
        def sleep_in_db():
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_sleep(0.5)"))

        sleep_in_db()  # open a first connection outside the timing
        pool = eventlet.GreenPool(10)
        started = time.perf_counter()
        for _ in range(10):
            pool.spawn_n(sleep_in_db)
        pool.waitall()
        elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    # Serialised, ten half-second queries take 5 s; overlapped, about 0.5 s.
    assert elapsed < 1.5, f"10 concurrent 0.5 s queries took {elapsed:.2f} s"
