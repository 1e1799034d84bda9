"""SQLAlchemy engines for a service's own database: PostgreSQL (psycopg2, made green
under eventlet by services.common.green) or SQLite. Pure SQLAlchemy: the gateway uses
it too."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool


def make_engine(url: str, *, pool_size: int = 16, reads: bool = False) -> Engine:
    """An engine for ``url``: PostgreSQL (psycopg2, green under eventlet) or SQLite.

    ``reads=True`` gives the engine for reads outside a unit of work: autocommit, so a
    read is one round trip (no BEGIN, no ROLLBACK, no pre-ping); a connection the
    database dropped fails one read and the pool is refreshed. Measured: 380 -> 191 us
    wall, 269 -> 154 us CPU per primary-key read (docs/performance.md).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool,
                               connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # let SQLAlchemy issue BEGIN itself
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        if not reads:
            _serialise_sqlite_writes(engine)
        return engine
    if reads:
        return create_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30,
                             isolation_level="AUTOCOMMIT", pool_reset_on_return=None,
                             pool_recycle=1800)
    return create_engine(url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True,
                         pool_timeout=30)


# How long a transaction waits for this process's other SQLite writer before giving up.
SQLITE_WRITER_WAIT_SECONDS = 30.0


def _serialise_sqlite_writes(engine: Engine) -> None:
    """One write transaction at a time per process, waiting in Python, then SQLite's own
    lock (``BEGIN IMMEDIATE``) for other processes.

    SQLite has one writer anyway. Without the Python lock a second green thread's
    ``BEGIN IMMEDIATE`` waits inside SQLite's busy handler, a C sleep that blocks the
    whole eventlet hub, so the green thread holding the lock (say, in the middle of a
    network call) never gets to commit: both stall until the busy timeout and fail with
    "database is locked". ``threading.Lock`` is green under eventlet and a real lock in
    the gateway's threads. Taking the write lock up front also keeps two transactions
    that both read and then write from failing instead of waiting their turn.
    """
    writer = threading.Lock()
    holds = "sqlite_writer"  # set in a connection's info while it holds the writer

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn):
        if not writer.acquire(timeout=SQLITE_WRITER_WAIT_SECONDS):
            raise OperationalError("BEGIN IMMEDIATE", None, TimeoutError(
                "another transaction of this process held the database for "
                f"{SQLITE_WRITER_WAIT_SECONDS:g} s"))
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writer.release()
            raise
        conn.info[holds] = True

    # Both fire just before the driver's commit or rollback, which is one blocking call:
    # no other green thread runs in between, and a real thread that takes the lock at
    # once waits in SQLite's busy handler for that call to finish. Only the connection
    # that took the writer gives it back (a rollback after a failed BEGIN does not).
    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _sqlite_end(conn):
        if conn.info.pop(holds, False):
            writer.release()
