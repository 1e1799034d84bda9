"""Chunked member imports: a job is opened, rows arrive in chunks (each validated line by
line and staged, or its reasons kept), and finishing applies every good row in one
transaction, or nothing when there are bad rows and the caller did not ask to skip them.

Staged rows live in ``member_import_row`` between calls (any replica may take the next
chunk); they are deleted when the job finishes. Field reasons are kept for the first
MAX_REPORTED_BAD_ROWS bad lines; the job counts all of them.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts.registry_members import (
    MAX_REPORTED_BAD_ROWS,
    AddMemberImportRowsV1,
    FinishMemberImportV1,
    MemberImportJobV1,
)
from services.common.errors import Conflict, InvalidInput, NotFound
from services.registry.members import metrics
from services.registry.members.import_apply import apply_stage, check_stage
from services.registry.members.register import ensure_society
from services.registry.members.rows import check_row
from services.registry.members.tables import (
    member_import_error,
    member_import_job,
    member_import_row,
)

# Rows one chunked job may stage: far above any one society's register (the largest
# known: tens of thousands) and small enough for one transaction to apply quickly.
MAX_JOB_ROWS = 1_000_000
# An open job that received nothing for this long is abandoned and its rows dropped.
STALE_AFTER = timedelta(hours=24)


def job_wire(job: dict[str, Any], bad_rows: list[tuple[int, str, str]] | None = None,
             bad_row_count: int | None = None) -> dict[str, Any]:
    reported = sorted(bad_rows or [])[:MAX_REPORTED_BAD_ROWS]
    count = job["bad_row_count"] if bad_row_count is None else bad_row_count
    return MemberImportJobV1(
        job_id=job["id"], society_id=job["society_id"], status=job["status"],
        rows_received=job["rows_received"], bad_row_count=count, imported=job["imported"],
        bad_rows=[{"line": line, "field": f, "reason": r} for line, f, r in reported],
        bad_rows_truncated=count > len({line for line, _f, _r in reported}),
    ).wire()


def begin(session: Session, society_id: str, ctx: CallContext) -> dict[str, Any]:
    ensure_society(session, society_id)
    job = {"id": str(uuid.uuid4()), "society_id": society_id, "status": "open",
           "rows_received": 0, "bad_row_count": 0, "imported": 0,
           "created_by": ctx.actor_id, "created_at": datetime.now(UTC), "finished_at": None}
    session.execute(insert(member_import_job).values(**job))
    return job


def _open_job(session: Session, society_id: str, job_id: str) -> dict[str, Any]:
    row = session.execute(select(member_import_job).where(
        member_import_job.c.id == job_id, member_import_job.c.society_id == society_id)
        .with_for_update()).first()
    if row is None:
        raise NotFound("No such import job.", {"job_id": job_id})
    job = dict(row._mapping)
    if job["status"] != "open":
        raise Conflict("The import job has finished.", {"job_id": job_id,
                                                        "status": job["status"]})
    return job


def add_rows(session: Session, command: AddMemberImportRowsV1) -> dict[str, Any]:
    """Validate and stage one chunk; returns the job with this chunk's bad rows."""
    job = _open_job(session, command.society_id, command.job_id)
    lines = [row.line for row in command.rows]
    if len(set(lines)) != len(lines):
        raise InvalidInput("A line number is sent twice.",
                           fields={"rows": "line numbers must be unique"})
    if job["rows_received"] + len(lines) > MAX_JOB_ROWS:
        raise InvalidInput("The import is too large.",
                           fields={"rows": f"at most {MAX_JOB_ROWS} rows per import"})
    staged, errors, bad_lines = [], [], 0
    for row in command.rows:
        if row.problem is not None:
            values, reasons = None, {"line": row.problem}
        else:
            values, reasons = check_row(row.cells)
        if values is None:
            bad_lines += 1
            errors.extend((row.line, f, r) for f, r in reasons.items())
            continue
        staged.append({**values, "job_id": job["id"], "line": row.line,
                       "society_key": command.society_id})
    room = MAX_REPORTED_BAD_ROWS - min(job["bad_row_count"], MAX_REPORTED_BAD_ROWS)
    kept_lines = sorted({line for line, _f, _r in errors})[:room]
    kept = [e for e in errors if e[0] in set(kept_lines)]
    try:
        with session.begin_nested():
            if staged:
                session.execute(insert(member_import_row), staged)
            if kept:
                session.execute(insert(member_import_error), [
                    {"job_id": job["id"], "line": line, "field": f[:64], "reason": r[:300]}
                    for line, f, r in kept])
    except IntegrityError:
        raise InvalidInput("Some of these lines were already sent.",
                           fields={"rows": "a line number of this chunk was sent before"}
                           ) from None
    job["rows_received"] += len(lines)
    job["bad_row_count"] += bad_lines
    session.execute(update(member_import_job).where(member_import_job.c.id == job["id"])
                    .values(rows_received=job["rows_received"],
                            bad_row_count=job["bad_row_count"]))
    metrics.import_rows.labels("staged").inc(len(staged))
    metrics.import_rows.labels("bad").inc(bad_lines)
    return job_wire(job, errors, bad_lines)


def _discard(session: Session, job_id: str) -> int:
    session.execute(delete(member_import_error).where(member_import_error.c.job_id == job_id))
    return session.execute(delete(member_import_row)
                           .where(member_import_row.c.job_id == job_id)).rowcount


def finish(session: Session, command: FinishMemberImportV1
           ) -> tuple[dict[str, Any], dict[str, int]]:
    """Check and apply the job; returns (job answer, {society id: members imported})."""
    started = time.perf_counter()
    job = _open_job(session, command.society_id, command.job_id)
    field_errors = [tuple(row) for row in session.execute(
        select(member_import_error.c.line, member_import_error.c.field,
               member_import_error.c.reason)
        .where(member_import_error.c.job_id == job["id"])
        .order_by(member_import_error.c.line).limit(MAX_REPORTED_BAD_ROWS))]
    checks = check_stage(session, member_import_row, job["id"], cap=MAX_REPORTED_BAD_ROWS)
    bad_count = job["bad_row_count"] + checks.count
    bad_rows = field_errors + checks.rows
    counts: dict[str, int] = {}
    if bad_count and not command.skip_bad_rows:
        job["status"] = "rejected"
    else:
        counts = apply_stage(session, member_import_row, job["id"],
                             only_good=bool(checks.count), single_society=job["society_id"])
        job["status"] = "imported"
        job["imported"] = sum(counts.values())
    staged = _discard(session, job["id"])
    job["finished_at"] = datetime.now(UTC)
    job["bad_row_count"] = bad_count
    session.execute(update(member_import_job).where(member_import_job.c.id == job["id"])
                    .values(status=job["status"], imported=job["imported"],
                            bad_row_count=bad_count, finished_at=job["finished_at"]))
    metrics.import_jobs.labels(job["status"]).inc()
    metrics.import_rows.labels("imported").inc(job["imported"])
    metrics.import_rows.labels("discarded").inc(staged - job["imported"])
    metrics.import_apply_seconds.observe(time.perf_counter() - started)
    return job_wire(job, bad_rows, bad_count), counts


def abandon_stale(session: Session, now: datetime | None = None) -> list[str]:
    """Close open jobs older than STALE_AFTER and drop their staged rows; their ids."""
    cutoff = (now or datetime.now(UTC)) - STALE_AFTER
    stale = [row.id for row in session.execute(
        select(member_import_job.c.id).where(member_import_job.c.status == "open",
                                             member_import_job.c.created_at < cutoff)
        .with_for_update(skip_locked=True))]
    for job_id in stale:
        metrics.import_rows.labels("discarded").inc(_discard(session, job_id))
        metrics.import_jobs.labels("abandoned").inc()
    if stale:
        session.execute(update(member_import_job)
                        .where(member_import_job.c.id.in_(stale))
                        .values(status="abandoned", finished_at=datetime.now(UTC)))
    return stale

