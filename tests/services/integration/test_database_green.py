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


def test_sqlite_writers_of_one_process_take_turns_instead_of_failing(tmp_path):
    """A green thread that holds SQLite's write lock across a network wait must not be
    stalled by another green thread waiting in SQLite's C busy handler (that blocks the
    whole hub until "database is locked"): the second waits its turn in Python."""
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE note (who TEXT)"))
        order = []

        def write(who, hold):
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO note VALUES (:who)"), {"who": who})
                eventlet.sleep(hold)  # a broker confirm, an SMTP reply...
                order.append(who)

        started = time.perf_counter()
        first = eventlet.spawn(write, "first", 0.5)
        eventlet.sleep(0.05)
        second = eventlet.spawn(write, "second", 0)
        first.wait()
        second.wait()
        elapsed = time.perf_counter() - started
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT who FROM note ORDER BY rowid")).all()
    finally:
        engine.dispose()
    assert order == ["first", "second"]
    assert [row.who for row in rows] == ["first", "second"]
    assert elapsed < 3, f"two writers took {elapsed:.2f} s"
