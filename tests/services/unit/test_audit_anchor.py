"""Anchoring the audit chain on an embedded (SQLite) database: a head is anchored only
when it moved, and verify, given the newest anchor, tells a removed tail, a rewritten
head and a forged anchor from an intact chain."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common import audit, audit_anchor, outbox
from services.common.engine import make_engine
from services.common.schema import audit_append_only_ddl, make_metadata, platform_tables

SERVICE = "registry"
CTX = SimpleNamespace(actor_id="officer-1", actor_role="registrar", request_id="r1")


class UnitOfWork:
    """What ``anchor_head`` needs of a unit of work: a session and the outbox."""

    def __init__(self, session, tables):
        self.session, self.tables = session, tables

    def emit(self, event):
        return outbox.record(self.session, self.tables, event, {})


@pytest.fixture
def chain(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("REGISTRY_AUDIT_ANCHOR_KEY", raising=False)
    audit_anchor.anchor_settings.cache_clear()
    metadata = make_metadata()
    tables = platform_tables(metadata)
    engine = make_engine(f"sqlite:///{tmp_path}/registry.db")
    metadata.create_all(engine)
    with engine.begin() as connection:
        for statement in audit_append_only_ddl("sqlite"):
            connection.exec_driver_sql(statement)
    write(engine, tables, 4)
    yield SimpleNamespace(engine=engine, tables=tables)
    engine.dispose()
    audit_anchor.anchor_settings.cache_clear()


def write(engine, tables, n: int) -> None:
    with Session(engine) as session, session.begin():
        for i in range(n):
            audit.append(session, tables.audit, CTX, action="society_approved",
                         entity_type="society", entity_id=f"s{i}", changes={"i": i})


def anchor(chain):
    key = audit_anchor.anchor_settings(SERVICE).key_bytes()
    with Session(chain.engine) as session, session.begin():
        return audit_anchor.anchor_head(UnitOfWork(session, chain.tables), chain.tables,
                                        SERVICE, key)


def verify(chain, kept):
    with Session(chain.engine) as session:
        return audit_anchor.verify_against(session, chain.tables.audit, SERVICE, kept)


def tamper(chain, *statements: str) -> None:
    """As someone with the database's owner rights: switch the guard off, then edit."""
    with chain.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_entry_no_delete")
        connection.exec_driver_sql("DROP TRIGGER audit_entry_no_update")
        for statement in statements:
            connection.exec_driver_sql(statement)


def anchors_recorded(chain) -> int:
    outbox_table = chain.tables.outbox
    with Session(chain.engine) as session:
        return session.execute(select(func.count()).select_from(outbox_table).where(
            outbox_table.c.event_type == "audit_head_anchored")).scalar_one()


def test_a_head_is_anchored_once_and_again_only_after_it_moved(chain):
    first = anchor(chain)
    assert (first.service, first.last_id, first.entries) == (SERVICE, 4, 4)
    assert anchor(chain) is None and anchor(chain) is None
    assert anchors_recorded(chain) == 1
    write(chain.engine, chain.tables, 2)
    second = anchor(chain)
    assert (second.last_id, second.entries) == (6, 6)
    assert anchors_recorded(chain) == 2
    with Session(chain.engine) as session:
        assert session.execute(select(chain.tables.audit.c.hash).where(
            chain.tables.audit.c.id == 6)).scalar() == second.last_hash


def test_an_empty_chain_is_not_anchored(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    audit_anchor.anchor_settings.cache_clear()
    metadata = make_metadata()
    tables = platform_tables(metadata)
    engine = make_engine(f"sqlite:///{tmp_path}/empty.db")
    metadata.create_all(engine)
    try:
        assert anchor(SimpleNamespace(engine=engine, tables=tables)) is None
    finally:
        engine.dispose()


def test_an_intact_chain_passes_against_its_anchor_and_after_more_entries(chain):
    kept = anchor(chain)
    assert verify(chain, kept).status == "ok"
    write(chain.engine, chain.tables, 3)  # written after the anchor: still fine
    result = verify(chain, kept)
    assert (result.status, result.ok, result.entries_checked) == ("ok", True, 7)


def test_a_deleted_tail_is_reported_as_truncated(chain):
    kept = anchor(chain)
    tamper(chain, "DELETE FROM audit_entry WHERE id >= 3")
    plain = verify(chain, None)  # without the anchor the shorter chain still fits
    assert plain.status == "unanchored" and plain.entries_checked == 2
    result = verify(chain, kept)
    assert (result.status, result.ok) == ("truncated", False)
    assert result.found_hash is None and result.expected_hash == kept.last_hash
    assert (result.anchored_entries, result.found_entries) == (4, 2)
    assert "entry #4" in result.reason and "2 of the 4" in result.reason


def test_a_tail_deleted_and_written_over_is_still_caught(chain):
    kept = anchor(chain)
    tamper(chain, "DELETE FROM audit_entry WHERE id >= 3")
    write(chain.engine, chain.tables, 5)  # new entries follow the shortened chain
    result = verify(chain, kept)
    assert result.entries_checked == 7 and not result.ok
    # SQLite gives the freed ids out again, so entry #4 is there with another hash
    # (PostgreSQL's sequence does not: there #4 stays missing, "truncated").
    assert result.status == "rewritten"
    assert result.expected_hash == kept.last_hash != result.found_hash


def test_a_rewritten_head_is_reported_with_both_hashes(chain):
    kept = anchor(chain)
    # Rebuild the newest entry with other changes and a hash that fits them.
    table = chain.tables.audit
    with Session(chain.engine) as session:
        row = session.execute(select(table).where(table.c.id == 4)).mappings().one()
    fields = {name: row[name] for name in audit._HASHED_FIELDS}
    fields["changes"] = {"i": 99}
    forged = audit.entry_hash(row["prev_hash"], fields)
    statement = "UPDATE audit_entry SET changes = '{\"i\": 99}', hash = '%s' WHERE id = 4"
    tamper(chain, statement % forged)
    assert verify(chain, None).status == "unanchored"  # the chain alone looks fine
    result = verify(chain, kept)
    assert (result.status, result.ok) == ("rewritten", False)
    assert (result.expected_hash, result.found_hash) == (kept.last_hash, forged)
    assert "entry #4" in result.reason


def test_an_anchor_not_signed_with_the_service_key_is_not_trusted(chain):
    kept = anchor(chain)
    inflated = kept.model_copy(update={"entries": 40})
    result = verify(chain, inflated)
    assert (result.status, result.ok) == ("anchor_unverifiable", False)
    other = kept.model_copy(update={"service": "filings"})
    assert verify(chain, other).status == "anchor_unverifiable"


def test_production_refuses_a_missing_or_short_key(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("REGISTRY_AUDIT_ANCHOR_KEY", raising=False)
    audit_anchor.anchor_settings.cache_clear()
    with pytest.raises(ValueError, match="REGISTRY_AUDIT_ANCHOR_KEY is required"):
        audit_anchor.anchor_settings(SERVICE)
    monkeypatch.setenv("REGISTRY_AUDIT_ANCHOR_KEY", "short")
    with pytest.raises(ValueError, match="shorter than 32 bytes"):
        audit_anchor.AnchorSettings(service_name=SERVICE, _env_prefix="REGISTRY_")
    monkeypatch.setenv("REGISTRY_AUDIT_ANCHOR_KEY", "k" * 32)
    settings = audit_anchor.AnchorSettings(service_name=SERVICE, _env_prefix="REGISTRY_")
    assert settings.key_bytes() == b"k" * 32
    audit_anchor.anchor_settings.cache_clear()


def test_a_chain_that_lost_an_anchored_head_is_not_anchored_again(chain):
    kept = anchor(chain)
    tamper(chain, "DELETE FROM audit_entry WHERE id >= 3",
           "DELETE FROM outbox_message")  # the local record of the anchor goes too
    write(chain.engine, chain.tables, 4)  # ids 3.. again: a newer head to anchor
    key = audit_anchor.anchor_settings(SERVICE).key_bytes()
    with pytest.raises(audit_anchor.AnchorRefused, match="entry #4"), \
            Session(chain.engine) as session, session.begin():
        audit_anchor.anchor_head(UnitOfWork(session, chain.tables), chain.tables, SERVICE,
                                 key, kept)
    assert anchors_recorded(chain) == 0
    # An anchor the keeper holds but that is not ours (a forged one) is ignored.
    forged = kept.model_copy(update={"signature": "0" * 64})
    with Session(chain.engine) as session, session.begin():
        assert audit_anchor.anchor_head(UnitOfWork(session, chain.tables), chain.tables,
                                        SERVICE, key, forged) is not None
