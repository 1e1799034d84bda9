"""The audit chain on an embedded (SQLite) database: appends link, verify finds edits,
deletions and reorderings, the table refuses UPDATE and DELETE, and a unit of work
writes its entries at its commit, in order, and none when it rolls back."""

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common import audit
from services.common.call_context import CallContext
from services.common.database import UnitOfWork
from services.common.engine import make_engine
from services.common.schema import audit_append_only_ddl, make_metadata, platform_tables


@pytest.fixture
def chain(tmp_path):
    metadata = make_metadata()
    tables = platform_tables(metadata)
    engine = make_engine(f"sqlite:///{tmp_path}/audit.db")
    metadata.create_all(engine)
    ctx = SimpleNamespace(actor_id="u1", actor_role="registrar", request_id="r1")
    with Session(engine) as session, session.begin():
        for n in range(5):
            audit.append(session, tables.audit, ctx, action="society_approved",
                         entity_type="society", entity_id=str(n), changes={"n": n, "ok": True})
    yield engine, tables.audit
    engine.dispose()


def verify(engine, table):
    with Session(engine) as session:
        return audit.verify(session, table, batch=2)  # small batches cross pages


def test_untouched_chain_verifies(chain):
    assert verify(*chain) == audit.Verification(ok=True, entries_checked=5)


@pytest.mark.parametrize("tamper, bad_id", [
    ("UPDATE audit_entry SET changes = '{\"n\": 99, \"ok\": true}' WHERE id = 3", 3),
    ("UPDATE audit_entry SET actor_id = 'u2' WHERE id = 1", 1),
    ("DELETE FROM audit_entry WHERE id = 2", 3),
    ("UPDATE audit_entry SET id = 100 WHERE id = 4", 5),
])
def test_any_change_breaks_the_chain_where_it_happened(chain, tamper, bad_id):
    engine, table = chain
    with engine.begin() as connection:
        connection.exec_driver_sql(tamper)
    result = verify(engine, table)
    assert (result.ok, result.first_bad_entry_id) == (False, bad_id)


def test_table_refuses_update_and_delete_once_protected(chain):
    engine, _table = chain
    with engine.begin() as connection:
        for statement in audit_append_only_ddl("sqlite"):
            connection.exec_driver_sql(statement)
    for statement in ("UPDATE audit_entry SET actor_id = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(IntegrityError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))


# -- the unit of work: entries are linked at its commit ------------------------------

def handle(engine, tables, actor="u1"):
    """What ``UnitOfWork`` takes of a service's ``DatabaseHandle``."""
    ctx = CallContext(request_id=f"req-{actor}", actor_id=actor, actor_role="registrar",
                      actor_scope=None, idempotency_key=None, event_id=None,
                      service="registry", entrypoint="approve")
    return SimpleNamespace(engine=engine, tables=tables, ctx=ctx, headers={},
                           wake_relay=lambda: None)


@pytest.fixture
def store(tmp_path):
    metadata = make_metadata()
    tables = platform_tables(metadata)
    engine = make_engine(f"sqlite:///{tmp_path}/uow.db")
    metadata.create_all(engine)
    with engine.begin() as connection:
        for statement in audit_append_only_ddl("sqlite"):
            connection.exec_driver_sql(statement)
    yield engine, tables
    engine.dispose()


def entries(engine, table):
    with Session(engine) as session:
        return session.execute(select(table).order_by(table.c.id)).mappings().all()


def test_unit_of_work_writes_its_entries_at_commit_in_the_order_made(store):
    engine, tables = store
    with UnitOfWork(handle(engine, tables)) as uow:
        uow.audit("society_registered", "society", "s1", {"name": "Samiti"})
        uow.audit("member_admitted", "member", 7, {"society_id": "s1"})
        uow.audit("society_approved", "society", "s1")
        # Nothing in the chain yet, not even as this transaction sees it.
        assert uow.session.execute(
            select(func.count()).select_from(tables.audit)).scalar_one() == 0
    rows = entries(engine, tables.audit)
    assert [(r["action"], r["entity_id"], r["changes"]) for r in rows] == [
        ("society_registered", "s1", {"name": "Samiti"}),
        ("member_admitted", "7", {"society_id": "s1"}),
        ("society_approved", "s1", {})]
    assert [r["prev_hash"] for r in rows] == [audit.GENESIS_HASH, rows[0]["hash"],
                                              rows[1]["hash"]]
    assert {(r["actor_id"], r["request_id"]) for r in rows} == {("u1", "req-u1")}
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    with Session(engine) as session:
        assert audit.verify(session, tables.audit) == audit.Verification(True, 3)


def test_unit_of_work_that_rolls_back_writes_no_entry(store):
    engine, tables = store
    with UnitOfWork(handle(engine, tables)) as uow:
        uow.audit("society_registered", "society", "s1", {"name": "Samiti"})
    with pytest.raises(RuntimeError), UnitOfWork(handle(engine, tables, "u2")) as uow:
        uow.audit("society_cancelled", "society", "s1", {"reason": "fraud"})
        raise RuntimeError("the change failed after its entry was made")
    with UnitOfWork(handle(engine, tables, "u3")) as uow:
        uow.audit("society_approved", "society", "s1")
    rows = entries(engine, tables.audit)
    assert [(r["action"], r["actor_id"]) for r in rows] == [
        ("society_registered", "u1"), ("society_approved", "u3")]
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    with Session(engine) as session:
        assert audit.verify(session, tables.audit).ok


def test_entry_keeps_the_changes_as_they_were_when_it_was_made(store):
    engine, tables = store
    changes = {"status": "approved", "members": [1, 2]}
    with UnitOfWork(handle(engine, tables)) as uow:
        uow.audit("society_approved", "society", "s1", changes)
        changes["status"] = "cancelled"
        changes["members"].append(3)
    assert entries(engine, tables.audit)[0]["changes"] == {"status": "approved",
                                                           "members": [1, 2]}


def test_entries_of_a_unit_of_work_follow_those_appended_directly(store):
    """``audit.append`` (writers outside a unit of work) and the unit of work's entries
    make one chain with the same hashes."""
    engine, tables = store
    ctx = handle(engine, tables).ctx
    with Session(engine) as session, session.begin():
        direct = audit.append(session, tables.audit, ctx, action="societies_imported",
                              entity_type="society_import", entity_id="f.csv",
                              changes={"rows": 2})
    with UnitOfWork(handle(engine, tables)) as uow:
        uow.audit("society_approved", "society", "s1", {"n": 1})
    first, second = entries(engine, tables.audit)
    assert first["hash"] == direct and second["prev_hash"] == direct
    fields = {name: second[name] for name in audit._HASHED_FIELDS}
    assert audit.entry_hash(direct, fields) == second["hash"]
