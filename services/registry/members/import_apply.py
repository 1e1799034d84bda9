"""What every import does once its rows are staged (validated field by field): the checks
that need the database, and applying the good rows in one statement.

The database finds, by line: a society that does not exist, a membership number a
society's rows repeat (the first line wins, the later ones are bad), and a membership
number already in the register. Applying is one ``INSERT ... SELECT`` from the stage, so
millions of rows never pass through Python twice and nothing is half applied: the
caller's transaction commits all of it or none.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Table,
    and_,
    distinct,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session

from services.registry.members.tables import member as m
from services.registry.societies.tables import society

UNKNOWN_SOCIETY = "unknown_society"
REPEATED = "repeated"
IN_REGISTER = "in_register"


def reason_text(code: str, first_line: int | None) -> str:
    if code == UNKNOWN_SOCIETY:
        return "no such society"
    if code == REPEATED:
        return f"membership number repeats line {first_line}"
    return "membership number already in the register"


@dataclass
class StageChecks:
    """Bad rows the database found: how many lines, and the first ones (line, field,
    reason) in line order."""

    count: int = 0
    rows: list[tuple[int, str, str]] = field(default_factory=list)


def _society_key(by_registration_number: bool) -> Column:
    return society.c.registration_number if by_registration_number else society.c.id


def _in_job(stage, job_id: str):
    """The job's rows: a shared stage holds several jobs, a run's own stage (no job
    column) only its own."""
    return stage.c.job_id == job_id if "job_id" in stage.c else true()


def _ranked(stage: Table, job_id: str):
    partition = (stage.c.society_key, stage.c.membership_number)
    return select(
        stage,
        func.row_number().over(partition_by=partition, order_by=stage.c.line).label("rn"),
        func.min(stage.c.line).over(partition_by=partition).label("first_line"),
    ).where(_in_job(stage, job_id)).subquery("ranked")


def _current_exists(society_id, membership_number):
    return exists().where(m.c.society_id == society_id,
                          m.c.membership_number == membership_number,
                          m.c.valid_to.is_(None))


def _any_bad(session: Session, stage: Table, job_id: str, key: Column) -> bool:
    """Whether any staged row is bad, by three cheap set operations (an anti-join, one
    hash aggregate, a semi-join) instead of ranking every row: a clean file, the common
    case of a migration, pays only these."""
    in_job = _in_job(stage, job_id)
    unknown = (select(stage.c.line)
               .select_from(stage.outerjoin(society, key == stage.c.society_key))
               .where(in_job, society.c.id.is_(None)))
    repeated = (select(stage.c.society_key).where(in_job)
                .group_by(stage.c.society_key, stage.c.membership_number)
                .having(func.count() > 1))
    registered = (select(stage.c.line)
                  .select_from(stage.join(society, key == stage.c.society_key))
                  .where(in_job, _current_exists(society.c.id, stage.c.membership_number)))
    return session.execute(select(
        exists(unknown), exists(repeated), exists(registered))).one() != (False,) * 3


def check_stage(session: Session, stage: Table, job_id: str, *,
                by_registration_number: bool = False, cap: int = 1000) -> StageChecks:
    key = _society_key(by_registration_number)
    if not _any_bad(session, stage, job_id, key):
        return StageChecks()
    in_job = _in_job(stage, job_id)
    ranked = _ranked(stage, job_id)
    unknown = (select(stage.c.line.label("line"), literal(UNKNOWN_SOCIETY).label("code"),
                      null().label("first_line"))
               .select_from(stage.outerjoin(society, key == stage.c.society_key))
               .where(in_job, society.c.id.is_(None)))
    repeated = (select(ranked.c.line, literal(REPEATED), ranked.c.first_line)
                .where(ranked.c.rn > 1))
    registered = (select(stage.c.line, literal(IN_REGISTER), null())
                  .select_from(stage.join(society, key == stage.c.society_key))
                  .where(in_job, _current_exists(society.c.id, stage.c.membership_number)))
    bad = union(unknown, repeated, registered).subquery("bad")
    count = session.execute(select(func.count(distinct(bad.c.line)))).scalar_one()
    if not count:
        return StageChecks()
    found = session.execute(select(bad.c.line, bad.c.code, bad.c.first_line)
                            .order_by(bad.c.line, bad.c.code).limit(cap)).all()
    rows = [(line, "society" if code == UNKNOWN_SOCIETY else "membership_number",
             reason_text(code, first)) for line, code, first in found]
    return StageChecks(count, rows)


def _new_member_id(dialect: str, order: tuple) -> Any:
    """A fresh uuid per inserted row, made by the database. On PostgreSQL a UUIDv7
    (RFC 9562: the job's millisecond, random bits, then a counter in insert order), so
    that the member_id index grows at its right edge instead of at random pages."""
    if dialect == "postgresql":
        stamp = f"{int(time.time() * 1000):012x}"
        rand = uuid.uuid4().hex
        prefix = (f"{stamp[:8]}-{stamp[8:]}-7{rand[:3]}-"
                  f"{'89ab'[int(rand[3], 16) % 4]}{rand[4:7]}-")
        counter = func.row_number().over(order_by=order)
        return literal(prefix).op("||")(func.lpad(func.to_hex(counter), 12, "0"))
    hexed = func.lower(func.hex(func.randomblob(16)))
    parts = [func.substr(hexed, start, length)
             for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.op("||")("-").op("||")(part)
    return joined


_INSERTED = ("member_id", "society_id", "membership_number", "valid_from", "valid_to",
             "name", "category", "admission_date", "cessation_date", "cessation_reason",
             "status", "phone", "email", "language", "shares", "recorded_at",
             "import_job_id")


def apply_stage(session: Session, stage: Table, job_id: str, *,
                by_registration_number: bool = False, only_good: bool = True,
                single_society: str | None = None) -> dict[str, int]:
    """Insert the job's staged rows as members; returns {society id: members added}.

    ``only_good=False`` is for a stage ``check_stage`` found clean: it skips the
    ranking and the look-ups that only exclude bad rows (the common case of a clean
    migration file, where they cost as much as the insert itself).
    """
    key = _society_key(by_registration_number)
    source = _ranked(stage, job_id) if only_good else stage
    conditions = [_in_job(source, job_id)] if not only_good else [
        source.c.rn == 1, ~_current_exists(society.c.id, source.c.membership_number)]
    joined = source.join(society, key == source.c.society_key)
    recorded_at = datetime.now(UTC)
    dialect = session.get_bind().dialect.name
    # In the order of the primary key: each index page is filled once, not revisited.
    order = (society.c.id, source.c.membership_number)
    chosen = (select(
        _new_member_id(dialect, order), society.c.id, source.c.membership_number,
        source.c.admission_date, null(), source.c.name, source.c.category,
        source.c.admission_date, null(), null(), literal("active"), source.c.phone,
        source.c.email, source.c.language, source.c.shares,
        literal(recorded_at, m.c.recorded_at.type), literal(job_id))
        .select_from(joined).where(and_(*conditions)).order_by(*order))
    if single_society is not None:
        inserted = session.execute(insert(m).from_select(list(_INSERTED), chosen))
        return {single_society: inserted.rowcount} if inserted.rowcount else {}
    # Many societies: count per society what the insert will take, in the same
    # transaction (no index on import_job_id to count it afterwards).
    counts = session.execute(select(society.c.id, func.count()).select_from(joined)
                             .where(and_(*conditions)).group_by(society.c.id)).all()
    session.execute(insert(m).from_select(list(_INSERTED), chosen))
    return {society_id: count for society_id, count in counts}
