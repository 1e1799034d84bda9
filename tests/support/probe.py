"""A pair of small services built on the chassis exactly as the real ones are: a
source that changes state and emits events, a sink that consumes them. Tests and
benchmarks use them to exercise the chassis; each pair has unique names, so tests
sharing one broker never see each other's queues."""

from __future__ import annotations

import time
import uuid

from sqlalchemy import Column, Integer, String, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from services.common import topology
from services.common.consumer import event_handler
from services.common.contracts.base import Contract, Event
from services.common.database import Database
from services.common.engine import make_engine
from services.common.errors import TYPED_ERRORS, InvalidInput, NotFound
from services.common.rpc import rpc
from services.common.schema import audit_append_only_ddl, make_metadata, platform_tables
from services.common.service import PlatformService

metadata = make_metadata()
platform = platform_tables(metadata)
note = Table("probe_note", metadata,
             Column("id", Integer, primary_key=True, autoincrement=True),
             Column("text", String(200), nullable=False))
applied = Table("probe_applied", metadata,
                Column("id", Integer, primary_key=True, autoincrement=True),
                Column("event_id", String(64), nullable=False),
                Column("note_id", Integer, nullable=False),
                Column("text", String(200), nullable=False))
side_effect = Table("probe_side_effect", metadata,
                    Column("id", Integer, primary_key=True, autoincrement=True),
                    Column("tag", String(64), nullable=False))


# Built once: constructing a select() costs more than running it (docs/chassis.md).
NOTE_BY_ID = select(note.c.id, note.c.text).where(note.c.id == bindparam("id"))


# Sinks that have been "fixed" after their failures: a test adds a sink's name to let it
# apply the events it dead-lettered before (an operator's replay after a fix).
FIXED_SINKS: set[str] = set()


class NoteAdded(Event):
    event_type = "note_added"
    note_id: int
    text: str


class NoteOut(Contract):
    id: int
    text: str


def create_schema(url: str) -> None:
    """Test set-up only: the probe has no migrations of its own."""
    engine = make_engine(url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        for statement in audit_append_only_ddl(engine.dialect.name):
            connection.exec_driver_sql(statement)
    engine.dispose()


def count_rows(url: str, table: Table, **where) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            query = select(func.count()).select_from(table)
            for column, value in where.items():
                query = query.where(table.c[column] == value)
            return session.execute(query).scalar_one()
    finally:
        engine.dispose()


def make_pair(suffix: str | None = None):
    """(SourceService, SinkService, subscriptions) with names unique to this call."""
    suffix = suffix or uuid.uuid4().hex[:8]
    source_name, sink_name = f"probesrc{suffix}", f"probesink{suffix}"
    subscriptions = (topology.Subscription(source_name, NoteAdded.event_type, sink_name,
                                           "on_note_added"),)

    class Source(PlatformService):
        name = source_name
        db = Database(platform, subscriptions=subscriptions)

        @rpc
        def echo(self, payload):
            return payload

        @rpc
        def add_note(self, payload):
            text = payload.get("text") if isinstance(payload, dict) else None
            if not isinstance(text, str) or not text.strip() or len(text) > 200:
                raise InvalidInput("The note is not valid.",
                                   fields={"text": "must be 1 to 200 characters"})
            with self.db.unit_of_work() as uow:
                prior = uow.replay(payload)
                if prior is not None:
                    return prior.response
                note_id = uow.session.execute(
                    insert(note).values(text=text)).inserted_primary_key[0]
                uow.audit("note_added", "probe_note", note_id, {"text": text})
                uow.emit(NoteAdded(note_id=note_id, text=text))
                return uow.respond(NoteOut(id=note_id, text=text).wire())

        @rpc
        def get_note(self, payload):
            with self.db.read() as session:
                row = session.execute(NOTE_BY_ID, {"id": payload["id"]}).first()
            if row is None:
                raise NotFound("No such note.", {"id": payload["id"]})
            return NoteOut(id=row.id, text=row.text).wire()

        @rpc
        def slow(self, payload):
            time.sleep(float(payload.get("seconds", 1)))
            with self.db.unit_of_work() as uow:
                uow.session.execute(insert(side_effect).values(tag=payload["tag"]))
            return {"tag": payload["tag"]}

        @rpc
        def fail(self, payload):
            cls = TYPED_ERRORS[payload["kind"]]
            raise cls(payload.get("message", "refused"), payload.get("details") or {})

    class Sink(PlatformService):
        name = sink_name
        db = Database(platform, subscriptions=subscriptions)

        @event_handler(source_name, NoteAdded.event_type)
        def on_note_added(self, payload):
            event = NoteAdded.model_validate(payload)
            if event.text.startswith("fail") and self.name not in FIXED_SINKS:
                raise RuntimeError(f"cannot apply note {event.note_id}")
            with self.db.unit_of_work() as uow:
                if not uow.claim_event():
                    return
                uow.session.execute(insert(applied).values(
                    event_id=uow.ctx.event_id, note_id=event.note_id, text=event.text))

    return Source, Sink, subscriptions
