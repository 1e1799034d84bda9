"""``python -m services.registry.members.bulk_import FILE.csv``: load a whole register (a
state's migration, or a society's) from one CSV file into the registry's database.

Each line names its society in a ``society_id`` or ``society_registration_number``
column besides the member columns of ``members.rows``. The file is read once, as a
stream: each line is validated (its reasons kept for the first MAX_REPORTED_BAD_ROWS bad
lines, the rest counted) and the good ones are copied in batches into a temporary table
(PostgreSQL ``COPY``; batched inserts on SQLite). The database then finds unknown
societies and repeated or already registered membership numbers, and one
``INSERT ... SELECT`` applies the rows. It is all one transaction: a file with any bad
line changes nothing unless ``--skip-bad-rows`` is given. Memory stays flat whatever the
file's size; the answer is a JSON report on stdout (exit 0 imported, 1 rejected, 2 the
file could not be read as a member register).

Writes go through the chassis's unit of work, so the run leaves an audit entry and one
``members_imported`` event per society in the outbox (published by the running
service's relay).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import itertools
import json
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from services.common.call_context import CallContext
from services.common.contracts.registry_members import MAX_REPORTED_BAD_ROWS, MembersImportedV1
from services.common.database import UnitOfWork
from services.common.engine import make_engine
from services.common.settings import service_settings
from services.registry import models
from services.registry.members import import_indexes, metrics
from services.registry.members.import_apply import apply_stage, check_stage
from services.registry.members.rows import (
    check_header,
    check_row,
    society_column_of,
)
from services.registry.members.tables import member_import_job, temporary_stage

BATCH_ROWS = 10_000
COPY_BLOCK_CHARS = 1 << 20
NULL = r"\N"
INDEX_MODES = ("keep", "rebuild")
STAGE_COLUMNS = ("line", "society_key", "membership_number", "name", "category",
                 "admission_date", "phone", "email", "language", "shares")


class Rejected(Exception):
    """Raised inside the unit of work so that nothing of a rejected file commits; it
    carries what the database found wrong."""

    def __init__(self, found: dict[str, Any]):
        super().__init__("the file has bad rows")
        self.found = found


@dataclass
class Report:
    rows: int = 0
    bad_row_count: int = 0
    bad_rows: list[tuple[int, str, str]] = field(default_factory=list)
    # Wall seconds per phase of the run, for the operator and the benchmark.
    phases: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter)

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self._mark, 2)
        self._mark = now

    def bad(self, line: int, reasons: dict[str, str]) -> None:
        self.bad_row_count += 1
        if len({row[0] for row in self.bad_rows}) < MAX_REPORTED_BAD_ROWS:
            self.bad_rows.extend((line, f, r) for f, r in reasons.items())


class _CommandHandle:
    """What a unit of work needs, for a command line instead of a nameko worker: the
    run acts as ``cli:<user>`` with the platform's ``system`` role."""

    def __init__(self, engine, request_id: str):
        self.engine = engine
        self.tables = models.platform
        actor = f"cli:{getpass.getuser()}"
        self.ctx = CallContext(request_id=request_id, actor_id=actor, actor_role="system",
                               actor_scope=None, idempotency_key=None, event_id=None,
                               service="registry", entrypoint="member_import")
        self.headers = {"nameko.request_id": request_id, "nameko.actor_id": actor}

    def wake_relay(self) -> None:
        """The service's relay polls the outbox; nothing to wake from here."""


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search


def _escaped(text: str) -> str:
    return text.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE(text) else text


def _copy_line(row: tuple) -> str:
    """A staged row in COPY's text format. Only the society key, the name and the
    e-mail can hold characters COPY escapes: the other values are checked against
    patterns (digits, letters, ``/._-``) or generated here."""
    line, key, number, name, category, admitted, phone, email, language, shares = row
    return (f"{line}\t{_escaped(key)}\t{number}\t{_escaped(name)}\t{category}\t"
            f"{admitted.isoformat()}\t{phone or NULL}\t{_escaped(email) if email else NULL}\t"
            f"{language}\t{NULL if shares is None else shares}\n")


def _staged_rows(reader, header: list[str], report: Report):
    """The file's good rows as stage tuples (in STAGE_COLUMNS order); bad ones go to
    the report with their line and reasons."""
    key_column = society_column_of(header)
    width = len(header)
    for cells_list in reader:
        line = reader.line_num
        if not cells_list:
            continue  # a blank line is no row
        report.rows += 1
        if len(cells_list) != width:
            report.bad(line, {"line": f"has {len(cells_list)} cells, the header {width}"})
            continue
        cells = dict(zip(header, cells_list, strict=True))
        values, reasons = check_row(cells)
        key = cells[key_column].strip()
        if not key or len(key) > 64:
            reasons = {**reasons, key_column: "required, at most 64 characters"}
        if reasons:
            report.bad(line, reasons)
            continue
        yield (line, key, values["membership_number"], values["name"],
               values["category"], values["admission_date"], values["phone"],
               values["email"], values["language"], values["shares"])


class _CopySource:
    """A file-like object COPY reads the stage's text from, produced as it is read:
    the database parses one block while Python checks the next, and no more than a
    block is ever held."""

    def __init__(self, rows, block_chars: int = COPY_BLOCK_CHARS):
        self.rows = rows
        self.block_chars = block_chars

    def read(self, size: int = -1) -> str:
        lines: list[str] = []
        held = 0
        for row in self.rows:
            text = _copy_line(row)
            lines.append(text)
            held += len(text)
            if held >= self.block_chars:
                break
        return "".join(lines)



def _stage_file(session, stage, rows) -> None:
    """All the good rows into the stage: one streamed COPY on PostgreSQL, batched
    inserts elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        raw = session.connection().connection.dbapi_connection
        with raw.cursor() as cursor:
            cursor.copy_expert(f"COPY {stage.name} ({', '.join(STAGE_COLUMNS)}) FROM STDIN",
                               _CopySource(rows), size=COPY_BLOCK_CHARS)
        return
    while batch := [dict(zip(STAGE_COLUMNS, row, strict=True))
                    for row in itertools.islice(rows, BATCH_ROWS)]:
        session.execute(insert(stage), batch)


def run(path: Path, *, database_url: str, skip_bad_rows: bool = False,
        indexes: str = "keep") -> dict[str, Any]:
    """Import ``path``; the report as a dict (``status`` imported or rejected)."""
    started = time.perf_counter()
    engine = make_engine(database_url, pool_size=1)
    job_id = str(uuid.uuid4())
    report = Report()
    result: dict[str, Any] = {"job_id": job_id, "file": str(path)}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            problems = check_header(header, society_column=True)
            if problems:
                return {**result, "status": "unreadable", "header": problems}
            by_number = society_column_of(header) == "society_registration_number"
            try:
                with UnitOfWork(_CommandHandle(engine, job_id)) as uow:
                    result.update(_import(uow, reader, header, job_id, by_number, report,
                                          skip_bad_rows, indexes))
            except Rejected as rejected:
                result.update(status="rejected", imported=0, **rejected.found)
            report.lap("commit")
    finally:
        engine.dispose()
    seconds = time.perf_counter() - started
    bad = sorted(report.bad_rows + result.pop("_db_bad", []))[:MAX_REPORTED_BAD_ROWS]
    result.update(rows=report.rows,
                  bad_row_count=report.bad_row_count + result.pop("_db_bad_count", 0),
                  bad_rows=[{"line": line, "field": f, "reason": r} for line, f, r in bad],
                  seconds=round(seconds, 2), phases=report.phases,
                  rows_per_second=round(report.rows / seconds) if seconds else None)
    return result


def _import(uow: UnitOfWork, reader, header, job_id: str, by_number: bool, report: Report,
            skip_bad_rows: bool, indexes: str) -> dict[str, Any]:
    session = uow.session
    postgres = session.get_bind().dialect.name == "postgresql"
    stage = temporary_stage()
    if postgres:
        stage.dialect_options["postgresql"]["on_commit"] = "DROP"
        import_indexes.tune_session(session)
    stage.create(session.connection())
    now = datetime.now(UTC)
    session.execute(insert(member_import_job).values(
        id=job_id, society_id=None, status="open", rows_received=0, bad_row_count=0,
        imported=0, created_by=uow.ctx.actor_id, created_at=now, finished_at=None))
    report.lap("prepare")
    _stage_file(session, stage, _staged_rows(reader, header, report))
    report.lap("read_check_copy")
    checks = check_stage(session, stage, job_id, by_registration_number=by_number,
                         cap=MAX_REPORTED_BAD_ROWS)
    report.lap("set_checks")
    found = {"_db_bad": checks.rows, "_db_bad_count": checks.count}
    if (report.bad_row_count or checks.count) and not skip_bad_rows:
        metrics.import_jobs.labels("rejected").inc()
        raise Rejected(found)
    rebuild = postgres and indexes == "rebuild"
    if rebuild:
        import_indexes.drop_indexes(session)
    counts = apply_stage(session, stage, job_id, by_registration_number=by_number,
                         only_good=bool(checks.count))
    imported = sum(counts.values())
    report.lap("apply")
    if rebuild:
        import_indexes.create_indexes(session)
        report.lap("rebuild_indexes")
    session.execute(update(member_import_job).where(member_import_job.c.id == job_id).values(
        status="imported", rows_received=report.rows, imported=imported,
        bad_row_count=report.bad_row_count + checks.count, finished_at=datetime.now(UTC)))
    uow.audit("member_import_imported", "member_import_job", job_id,
              {"file_rows": report.rows, "imported": imported, "societies": len(counts),
               "bad_row_count": report.bad_row_count + checks.count,
               "skip_bad_rows": skip_bad_rows})
    for society_id, count in counts.items():
        uow.emit(MembersImportedV1(society_id=society_id, job_id=job_id, count=count))
    if not postgres:
        stage.drop(session.connection())
    return {**found, "status": "imported", "imported": imported, "societies": len(counts),
            "indexes": "rebuilt" if rebuild else "kept"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.registry.members.bulk_import",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="CSV with a header line (UTF-8)")
    parser.add_argument("--skip-bad-rows", action="store_true",
                        help="import the good rows even when some are bad")
    parser.add_argument("--database-url", default=None,
                        help="default: REGISTRY_DATABASE_URL (or the local SQLite file)")
    parser.add_argument("--indexes", choices=INDEX_MODES, default="keep",
                        help="PostgreSQL: keep the register's indexes during the insert "
                             "(default), or drop them and build them again before the "
                             "commit (the register is locked meanwhile)")
    args = parser.parse_args(argv)
    url = args.database_url or service_settings("registry").resolved_database_url()
    result = run(args.file, database_url=url, skip_bad_rows=args.skip_bad_rows,
                 indexes=args.indexes)
    json.dump(result, sys.stdout, indent=1, default=str)
    sys.stdout.write("\n")
    return {"imported": 0, "rejected": 1}.get(result.get("status"), 2)


if __name__ == "__main__":
    sys.exit(main())
