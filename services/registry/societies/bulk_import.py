"""``python -m services.registry.societies.bulk_import FILE.csv [--skip-bad-rows]``: load a
register of societies (a state's legacy register, or the benchmark's 8.5 lakh rows).

The file is streamed: each row is checked as it is read (the line and every field's
reason are reported) and written to a temporary stage table in batches, with COPY on
PostgreSQL and batched INSERTs on SQLite, so memory does not grow with the file. The
database then finds registration numbers the file repeats or the register already holds,
and one ``INSERT ... SELECT`` moves the stage into ``society``. It is one transaction:
with any bad row nothing is loaded, unless ``--skip-bad-rows`` loads the good ones.

A bulk migration emits no events (it is not 8.5 lakh registrations); it leaves one
audit entry with the file's name, digest and counts.

Columns (a header line names them; order is free): registration_number,
registration_date (YYYY-MM-DD), name, address, state, district, area_of_operation (states
separated by ``;``, empty: the society's state), type, status, office_id, email, phone,
language (en or hi).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from services.common import audit
from services.common.call_context import SYSTEM_ACTOR, CallContext
from services.common.contracts.registry import SOCIETY_STATUSES, SOCIETY_TYPES
from services.common.engine import make_engine
from services.common.settings import service_settings
from services.registry import models
from services.registry.offices.tables import registrar_office

log = logging.getLogger(__name__)

COLUMNS = ("registration_number", "registration_date", "name", "address", "state",
           "district", "area_of_operation", "type", "status", "office_id", "email", "phone",
           "language")
REQUIRED = ("registration_number", "registration_date", "name", "address", "state", "type",
            "status", "office_id")
LIMITS = {"registration_number": 64, "name": 300, "address": 500, "state": 100,
          "district": 100, "email": 254, "phone": 20}
TYPES = frozenset(SOCIETY_TYPES)
STATUSES = frozenset(SOCIETY_STATUSES)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SPACES = re.compile(r"\s+")
MAX_REPORTED = 100
STAGE_COLUMNS = ("line", "registration_number", "registration_date", "registration_year",
                 "name", "name_key", "address", "state", "district", "area_of_operation",
                 "type", "status", "office_id", "contacts")


@dataclass
class Report:
    rows: int = 0
    loaded: int = 0
    bad: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def problem(self, line: int, reason: str) -> None:
        self.bad += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(f"line {line}: {reason}")


def _json_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_row(row: dict[str, str], offices: frozenset[str]) -> tuple[tuple | None, list[str]]:
    """A staged tuple for a good row, or None and every field's reason."""
    reasons = []
    get = row.get
    for name in REQUIRED:
        if not (get(name) or "").strip():
            reasons.append(f"{name}: required")
    for name, limit in LIMITS.items():
        value = get(name) or ""
        if len(value) > limit:
            reasons.append(f"{name}: at most {limit} characters")
    raw_date = (get("registration_date") or "").strip()
    registered = None
    if raw_date:
        try:
            if not DATE.match(raw_date):
                raise ValueError
            registered = date.fromisoformat(raw_date)
        except ValueError:
            reasons.append("registration_date: must be a date, YYYY-MM-DD")
    kind = (get("type") or "").strip()
    if kind and kind not in TYPES:
        reasons.append("type: one of " + ", ".join(SOCIETY_TYPES))
    status = (get("status") or "").strip()
    if status and status not in STATUSES:
        reasons.append("status: one of " + ", ".join(SOCIETY_STATUSES))
    office = (get("office_id") or "").strip()
    if office and office not in offices:
        reasons.append("office_id: no such office")
    email = (get("email") or "").strip()
    if email and not EMAIL.match(email):
        reasons.append("email: not an e-mail address")
    phone = (get("phone") or "").strip()
    if phone and not PHONE.match(phone):
        reasons.append("phone: not a phone number")
    language = (get("language") or "en").strip() or "en"
    if language not in ("en", "hi"):
        reasons.append("language: en or hi")
    if reasons:
        return None, reasons
    name = get("name").strip()
    state = get("state").strip()
    area = [s.strip() for s in (get("area_of_operation") or "").split(";") if s.strip()]
    area_json = "[" + ",".join(_json_text(s) for s in sorted(set(area or [state]))) + "]"
    contacts = ('{"email":' + (_json_text(email) if email else "null") + ',"phone":'
                + (_json_text(phone) if phone else "null") + ',"language":"' + language + '"}')
    return (get("registration_number").strip(), registered.isoformat(), registered.year,
            name, SPACES.sub(" ", name).lower(), get("address").strip(), state,
            (get("district") or "").strip() or None, area_json, kind, status, office,
            contacts), []


def read_rows(handle: io.TextIOBase) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(handle)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise SystemExit(f"the header lacks columns: {', '.join(missing)}")
    for row in reader:
        yield reader.line_num, row


# --------------------------------------------------------------------------- staging


def _create_stage(session: Session) -> None:
    session.execute(text(
        "CREATE TEMPORARY TABLE society_stage (line INTEGER, registration_number TEXT, "
        "registration_date DATE, registration_year INTEGER, name TEXT, name_key TEXT, "
        "address TEXT, state TEXT, district TEXT, area_of_operation TEXT, type TEXT, "
        "status TEXT, office_id TEXT, contacts TEXT)"))


def _copy_escape(value: Any) -> str:
    if value is None:
        return "\\N"
    text_ = str(value)
    if "\\" in text_ or "\t" in text_ or "\n" in text_ or "\r" in text_:
        text_ = (text_.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return text_


class Stager:
    """Writes staged tuples in batches: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, session: Session, batch_size: int):
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.batch_size = batch_size
        self.batch: list[tuple] = []

    def add(self, staged: tuple) -> None:
        self.batch.append(staged)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        if self.postgres:
            buffer = io.StringIO()
            buffer.writelines("\t".join(_copy_escape(v) for v in staged) + "\n"
                              for staged in self.batch)
            buffer.seek(0)
            cursor = self.session.connection().connection.dbapi_connection.cursor()
            cursor.copy_expert(f"COPY society_stage ({', '.join(STAGE_COLUMNS)}) FROM STDIN",
                               buffer)
        else:
            placeholders = ", ".join(f":{c}" for c in STAGE_COLUMNS)
            self.session.execute(
                text(f"INSERT INTO society_stage ({', '.join(STAGE_COLUMNS)}) "  # noqa: S608
                     f"VALUES ({placeholders})"),  # constants only
                [dict(zip(STAGE_COLUMNS, staged, strict=True)) for staged in self.batch])
        self.batch.clear()


DUPLICATES_SQL = """
SELECT line, registration_number, first_line FROM (
  SELECT s.line, s.registration_number,
         min(s.line) OVER (PARTITION BY s.registration_number) AS first_line,
         EXISTS (SELECT 1 FROM society t
                 WHERE t.registration_number = s.registration_number) AS in_register
  FROM society_stage s) ranked
WHERE line <> first_line OR in_register
ORDER BY line
"""


def _uuid_sql(postgres: bool) -> str:
    if postgres:
        return "gen_random_uuid()::text"
    return ("lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) "
            "|| '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' "
            "|| substr(h, 21, 12))")


def _insert_sql(postgres: bool) -> str:
    json_cast = "::json" if postgres else ""
    source = ("society_stage s" if postgres else
              "(SELECT *, hex(randomblob(16)) AS h FROM society_stage) s")
    return f"""
INSERT INTO society (id, registration_number, registration_date, registration_year, name,
  name_key, address, state, district, area_of_operation, type, status, office_id,
  board_seats, office_bearers, contacts, bye_laws_version, application_id, created_at,
  updated_at)
SELECT {_uuid_sql(postgres)}, s.registration_number, s.registration_date,
  s.registration_year, s.name, s.name_key, s.address, s.state, s.district,
  s.area_of_operation{json_cast}, s.type, s.status, s.office_id, '{{}}'{json_cast},
  '[]'{json_cast}, s.contacts{json_cast}, NULL, NULL, :now, :now
FROM {source}
"""  # noqa: S608 - built from constants only


SOCIETY_COPY_COLUMNS = ("id", "registration_number", "registration_date",
                        "registration_year", "name", "name_key", "address", "state",
                        "district", "area_of_operation", "type", "status", "office_id",
                        "board_seats", "office_bearers", "contacts", "created_at",
                        "updated_at")
# A file at least this large (bytes; REGISTRY_IMPORT_REBUILD_BYTES) loads with the
# directory's indexes rebuilt after the rows are in (one sort per index) instead of
# updated row by row: several times faster in bulk, and the table is locked meanwhile.
DEFAULT_REBUILD_INDEXES_BYTES = 8 * 1024 * 1024


class CopyStream(io.TextIOBase):
    """A file-like object COPY reads from, filled lazily from a generator of lines, so
    checking rows in Python and ingesting them in PostgreSQL overlap on two cores and
    memory stays flat."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self._buffer = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._buffer) < size:
            block = "".join(islice(self._lines, 256))
            if not block:
                break
            self._buffer += block
        if size < 0:
            out, self._buffer = self._buffer, ""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    readline = read


def _lines_of(rows: Iterator[tuple[int, tuple]], now: str) -> Iterator[str]:
    for _, staged in rows:
        (number, registered, year, name, key, address, state, district, area, kind, status,
         office, contacts) = staged
        yield "\t".join((str(uuid.uuid4()), _copy_escape(number), registered, str(year),
                          _copy_escape(name), _copy_escape(key), _copy_escape(address),
                          _copy_escape(state), _copy_escape(district), _copy_escape(area),
                          kind, status, office, "{}", "[]", _copy_escape(contacts), now,
                          now)) + "\n"


def _checked_rows(path: Path, offices: frozenset[str], report: Report,
                  digest: Any) -> Iterator[tuple[int, tuple]]:
    """Good rows as staged tuples; bad ones go to the report."""
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in read_rows(handle):
            report.rows += 1
            staged, reasons = check_row(row, offices)
            if staged is None:
                report.problem(line, "; ".join(reasons))
                continue
            yield line, staged
    with open(path, "rb") as raw:
        for chunk in iter(lambda: raw.read(1 << 20), b""):
            digest.update(chunk)


def _directory_indexes() -> list:
    """The society table's secondary indexes (not its primary key or unique numbers)."""
    from services.registry.societies.tables import society

    return [index for index in society.indexes if not index.unique]


def _fast_copy(session: Session, path: Path, offices: frozenset[str], report: Report,
               digest: Any) -> bool:
    """COPY good rows straight into ``society`` (PostgreSQL). False when a registration
    number repeats (the file's own or the register's): the caller then takes the checked
    path, which names the lines."""
    from psycopg2 import errors as pg_errors

    now = datetime.now(UTC).isoformat()
    stream = CopyStream(_lines_of(_checked_rows(path, offices, report, digest), now))
    savepoint = session.begin_nested()
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        cursor.copy_expert(f"COPY society ({', '.join(SOCIETY_COPY_COLUMNS)}) FROM STDIN",
                           stream, size=1 << 16)
    except pg_errors.UniqueViolation:
        savepoint.rollback()
        return False
    report.loaded = cursor.rowcount
    savepoint.commit()
    return True


def _checked_path(session: Session, path: Path, offices: frozenset[str], report: Report,
                  digest: Any, *, skip_bad_rows: bool, batch_size: int) -> None:
    """Stage every good row, let the database find repeated numbers, then load."""
    _create_stage(session)
    stager = Stager(session, batch_size)
    # Staged even after a bad row: the database's checks (repeated numbers) report their
    # lines too; a failed import rolls the stage back with the rest.
    for line, staged in _checked_rows(path, offices, report, digest):
        stager.add((line, *staged))
    stager.flush()
    duplicates = session.execute(text(DUPLICATES_SQL)).all()
    for dup in duplicates:
        where = (f"repeats line {dup.first_line}" if dup.line != dup.first_line
                 else "already in the register")
        report.problem(dup.line, f"registration_number: {dup.registration_number} {where}")
    if report.bad and not skip_bad_rows:
        return
    if duplicates:
        session.execute(text(
            "DELETE FROM society_stage WHERE line IN (SELECT line FROM ("  # noqa: S608
            + DUPLICATES_SQL + ") d)"))
    report.loaded = session.execute(text(_insert_sql(stager.postgres)),
                                    {"now": datetime.now(UTC)}).rowcount
    session.execute(text("DROP TABLE society_stage"))


def import_file(session: Session, path: Path, *, skip_bad_rows: bool,
                batch_size: int = 20_000) -> Report:
    """Check and load ``path`` in the session's transaction (the caller commits, or rolls
    back when the report has bad rows and ``skip_bad_rows`` is off)."""
    started = time.perf_counter()
    report = Report()
    offices = frozenset(session.execute(select(registrar_office.c.id)).scalars())
    postgres = session.get_bind().dialect.name == "postgresql"
    digest = hashlib.sha256()
    threshold = int(os.environ.get("REGISTRY_IMPORT_REBUILD_BYTES",
                                   DEFAULT_REBUILD_INDEXES_BYTES))
    rebuild = postgres and path.stat().st_size >= threshold
    if rebuild:
        for index in _directory_indexes():
            index.drop(session.connection())
    loaded = postgres and _fast_copy(session, path, offices, report, digest)
    if not loaded:
        report.rows, report.bad, report.problems, digest = 0, 0, [], hashlib.sha256()
        _checked_path(session, path, offices, report, digest, skip_bad_rows=skip_bad_rows,
                      batch_size=batch_size)
    if report.bad and not skip_bad_rows:
        report.loaded = 0
        report.seconds = time.perf_counter() - started
        return report
    if rebuild:
        session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for index in _directory_indexes():
            index.create(session.connection())
        session.execute(text("ANALYZE society"))
    ctx = CallContext(request_id=f"import-{digest.hexdigest()[:16]}", actor_id="import",
                      actor_role=SYSTEM_ACTOR, actor_scope=None, idempotency_key=None,
                      event_id=None, service="registry", entrypoint="society_import")
    audit.append(session, models.platform.audit, ctx, action="societies_imported",
                 entity_type="society_import", entity_id=path.name[:100],
                 changes={"file": path.name, "sha256": digest.hexdigest(),
                          "rows": report.rows, "loaded": report.loaded,
                          "skipped": report.bad})
    report.seconds = time.perf_counter() - started
    return report


def refresh_visibility(engine) -> None:
    """``VACUUM ANALYZE society`` after a bulk load: the directory's combined searches are
    index-only scans, which PostgreSQL uses only for pages its visibility map marks
    all-visible, and the planner needs the new row counts (docs/adr/0007)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE society")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.registry.societies.bulk_import",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--skip-bad-rows", action="store_true",
                        help="load the good rows and report the bad ones (default: a bad "
                             "row stops the whole import; nothing is loaded)")
    parser.add_argument("--database-url", help="default: REGISTRY_DATABASE_URL")
    parser.add_argument("--batch-size", type=int, default=20_000)
    args = parser.parse_args(argv)
    url = args.database_url or service_settings("registry").resolved_database_url()
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.begin()
            report = import_file(session, args.file, skip_bad_rows=args.skip_bad_rows,
                                 batch_size=args.batch_size)
            if report.bad and not args.skip_bad_rows:
                session.rollback()  # all or nothing
            else:
                session.commit()
                if report.loaded and engine.dialect.name == "postgresql":
                    refresh_visibility(engine)
    finally:
        engine.dispose()
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.bad > len(report.problems):
        print(f"... and {report.bad - len(report.problems)} more", file=sys.stderr)
    rate = report.rows / report.seconds if report.seconds else 0.0
    print(f"rows {report.rows} loaded {report.loaded} bad {report.bad} "
          f"seconds {report.seconds:.1f} rows_per_second {rate:.0f}")
    return 1 if report.bad and not args.skip_bad_rows else 0


if __name__ == "__main__":
    sys.exit(main())
