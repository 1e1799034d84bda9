"""The audit chain on an embedded (SQLite) database: appends link, verify finds edits,
deletions and reorderings, and the table refuses UPDATE and DELETE."""

from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common import audit
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
