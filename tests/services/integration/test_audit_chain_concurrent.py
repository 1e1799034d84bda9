"""Concurrent writers of one audit chain on PostgreSQL: each unit of work links its
entries as its last statements, so a writer that has made an entry does not hold up
the others while it goes on working, and however they interleave (some rolling back)
the chain stays one unbroken line, each transaction's entries side by side."""

from __future__ import annotations

import random
import time
from types import SimpleNamespace

import eventlet
import pytest
from sqlalchemy import Column, Integer, String, Table, insert, select
from sqlalchemy.orm import Session

from services.common import audit, audit_anchor
from services.common.call_context import CallContext
from services.common.database import UnitOfWork
from services.common.engine import make_engine
from services.common.schema import audit_append_only_ddl, make_metadata, platform_tables

metadata = make_metadata()
TABLES = platform_tables(metadata)
WORK = Table("work_done", metadata, Column("id", Integer, primary_key=True),
             Column("request_id", String(64), nullable=False))


@pytest.fixture
def engine(pg_database):
    engine = make_engine(pg_database("auditcc"), pool_size=12)
    metadata.create_all(engine)
    with engine.begin() as connection:
        for statement in audit_append_only_ddl("postgresql"):
            connection.exec_driver_sql(statement)
    yield engine
    engine.dispose()


def context(request_id: str) -> CallContext:
    return CallContext(request_id=request_id, actor_id="officer-1", actor_role="registrar",
                       actor_scope=None, idempotency_key=None, event_id=None,
                       service="registry", entrypoint="approve")


def unit_of_work(engine, request_id: str) -> UnitOfWork:
    """A service's unit of work, given what it takes of the ``DatabaseHandle``."""
    return UnitOfWork(SimpleNamespace(engine=engine, tables=TABLES, ctx=context(request_id),
                                      headers={}, wake_relay=lambda: None))


def chain(engine):
    with engine.connect() as connection:
        return connection.execute(select(TABLES.audit).order_by(TABLES.audit.c.id)
                                  ).mappings().all()


def verified(engine) -> audit.Verification:
    with Session(engine) as session:
        return audit.verify(session, TABLES.audit)


def test_a_writer_that_made_its_entry_does_not_hold_up_another(engine):
    """Before, the entry took the chain's lock and kept it to the commit: the second
    writer waited for the first. Now the first's entry is linked at its commit."""
    with unit_of_work(engine, "slow") as slow:
        slow.session.execute(insert(WORK).values(request_id="slow"))
        slow.audit("society_approved", "society", "s1", {"by": "slow"})

        def quick():
            with unit_of_work(engine, "quick") as uow:
                uow.session.execute(insert(WORK).values(request_id="quick"))
                uow.audit("society_approved", "society", "s2", {"by": "quick"})
            return time.perf_counter()

        started = time.perf_counter()
        with eventlet.Timeout(5):
            done = eventlet.spawn(quick).wait()
        assert done - started < 2, "the second writer waited for the first one's commit"
        slow.session.execute(insert(WORK).values(request_id="slow-more"))
    rows = chain(engine)
    assert [r["request_id"] for r in rows] == ["quick", "slow"]  # in commit order
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert verified(engine) == audit.Verification(True, 2)


def test_a_writer_that_waited_for_the_lock_links_after_what_committed_meanwhile(engine):
    """The second writer asks for the lock while the first holds it; the head it then
    reads must be the entry the first committed in between, not the one before."""
    with unit_of_work(engine, "first") as seed:
        seed.audit("society_registered", "society", "s1")
    with Session(engine) as session, session.begin():  # holds the lock to its commit
        audit.append(session, TABLES.audit, context("first"), action="society_approved",
                     entity_type="society", entity_id="s1", changes={})

        def second():
            with unit_of_work(engine, "second") as uow:
                uow.audit("society_cancelled", "society", "s1")

        waiting = eventlet.spawn(second)
        eventlet.sleep(0.3)  # the second is in its commit, waiting for the lock
        assert not waiting.dead
    with eventlet.Timeout(5):
        waiting.wait()
    rows = chain(engine)
    assert [r["action"] for r in rows] == ["society_registered", "society_approved",
                                           "society_cancelled"]
    assert rows[2]["prev_hash"] == rows[1]["hash"]
    assert verified(engine) == audit.Verification(True, 3)


def test_many_concurrent_writers_make_one_unbroken_chain(engine):
    rng = random.Random(14)
    plans = [(f"w{w}-t{t}", rng.randint(1, 3), rng.random() < 0.2)
             for w in range(8) for t in range(12)]

    def writer(share):
        for request_id, entries, fails in share:
            try:
                with unit_of_work(engine, request_id) as uow:
                    for n in range(entries):
                        uow.session.execute(insert(WORK).values(request_id=request_id))
                        uow.audit("member_admitted", "member", f"{request_id}-{n}",
                                  {"n": n})
                        eventlet.sleep(rng.random() * 0.003)  # let the others in
                    if fails:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                pass

    pool = eventlet.GreenPool(8)
    for w in range(8):
        pool.spawn(writer, plans[w * 12:(w + 1) * 12])
    with eventlet.Timeout(60):
        pool.waitall()

    rows = chain(engine)
    committed = {rid: n for rid, n, fails in plans if not fails}
    assert verified(engine) == audit.Verification(True, sum(committed.values()))
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]
    by_request: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        by_request.setdefault(row["request_id"], []).append(position)
    assert {rid: len(at) for rid, at in by_request.items()} == committed
    for rid, positions in by_request.items():  # side by side, in the order made
        assert positions == list(range(positions[0], positions[0] + len(positions)))
        assert [rows[p]["entity_id"] for p in positions] == [
            f"{rid}-{n}" for n in range(len(positions))]
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)


def test_the_anchor_reads_a_head_that_stands_still_while_writers_commit(engine, tmp_path,
                                                                         monkeypatch):
    """The anchoring tick takes the chain's lock first: writers committing meanwhile
    wait for it, and the head it signs is an entry of the chain with its count."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    audit_anchor.anchor_settings.cache_clear()
    key = audit_anchor.anchor_settings("registry").key_bytes()

    def writer(w):
        for t in range(10):
            with unit_of_work(engine, f"w{w}-t{t}") as uow:
                uow.audit("member_admitted", "member", f"{w}-{t}")
                eventlet.sleep(0.001)

    pool = eventlet.GreenPool(5)
    for w in range(4):
        pool.spawn(writer, w)
    anchors = []
    for _ in range(5):
        with unit_of_work(engine, "anchor") as uow:
            anchor = audit_anchor.anchor_head(uow, TABLES, "registry", key)
            if anchor is not None:
                anchors.append(anchor)
            eventlet.sleep(0.01)  # writers queue up behind the lock
        eventlet.sleep(0.005)
    with eventlet.Timeout(60):
        pool.waitall()
    audit_anchor.anchor_settings.cache_clear()
    rows = chain(engine)
    assert verified(engine) == audit.Verification(True, 40)
    assert anchors
    for anchor in anchors:
        assert rows[anchor.entries - 1]["id"] == anchor.last_id
        assert rows[anchor.entries - 1]["hash"] == anchor.last_hash
