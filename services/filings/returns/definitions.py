"""Stored form definitions: published once per code, jurisdiction and version (a new
version never changes an old filing, which keeps the version it was made on), and found
for a filer's state with the national definition as the fallback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, InvalidInput, NotFound
from services.filings.forms import schema
from services.filings.tables import form_definition as fd

_loaded: dict[tuple[str, str, int], schema.Form] = {}


def publish(session: Session, raw: dict[str, Any], actor_id: str, now: datetime) -> dict:
    try:
        form = schema.load(raw)
    except schema.DefinitionError as exc:
        raise InvalidInput("The form definition cannot be saved.",
                           fields={f"definition.{k}" if k else "definition": v
                                   for k, v in exc.problems.items()}) from exc
    key = (form.code, form.jurisdiction, form.version)
    exists = session.execute(select(fd.c.version).where(
        fd.c.code == form.code, fd.c.jurisdiction == form.jurisdiction,
        fd.c.version == form.version)).first()
    if exists is not None:
        raise Conflict("This version of the form is already published; publish a new "
                       "version instead.", {"code": form.code, "version": form.version,
                                            "jurisdiction": form.jurisdiction})
    latest = _latest_version(session, form.code, form.jurisdiction) or 0
    if form.version != latest + 1:
        raise InvalidInput("Versions follow each other.",
                           fields={"definition.version": f"the next version is {latest + 1}"})
    session.execute(fd.insert().values(
        code=form.code, jurisdiction=form.jurisdiction, version=form.version,
        filer=form.filer, title=form.title, definition=raw, created_by=actor_id,
        created_at=now))
    _loaded[key] = form
    return summary(form)


def summary(form: schema.Form) -> dict:
    return {"code": form.code, "jurisdiction": form.jurisdiction, "version": form.version,
            "filer": form.filer, "title": form.title}


def _latest_version(session: Session, code: str, jurisdiction: str) -> int | None:
    return session.execute(select(func.max(fd.c.version)).where(
        fd.c.code == code, fd.c.jurisdiction == jurisdiction)).scalar()


def load(session: Session, code: str, jurisdiction: str, version: int) -> schema.Form:
    key = (code, jurisdiction, version)
    if key not in _loaded:
        raw = session.execute(select(fd.c.definition).where(
            fd.c.code == code, fd.c.jurisdiction == jurisdiction,
            fd.c.version == version)).scalar()
        if raw is None:
            raise NotFound("No such form.", {"form_code": code, "version": version})
        _loaded[key] = schema.load(raw)
    return _loaded[key]


def current_for(session: Session, code: str, state: str | None) -> schema.Form:
    """The latest version for the filer's state, else the national one."""
    for jurisdiction in ([state] if state else []) + [schema.JURISDICTION_NATIONAL]:
        version = _latest_version(session, code, jurisdiction)
        if version is not None:
            return load(session, code, jurisdiction, version)
    raise NotFound("No such form for this state or nationally.",
                   {"form_code": code, "state": state})


def listing(session: Session, limit: int, offset: int) -> dict:
    latest = (select(fd.c.code, fd.c.jurisdiction, func.max(fd.c.version).label("v"))
              .group_by(fd.c.code, fd.c.jurisdiction).subquery())
    rows = session.execute(
        select(fd.c.code, fd.c.jurisdiction, fd.c.version, fd.c.filer, fd.c.title)
        .join(latest, and_(fd.c.code == latest.c.code,
                           fd.c.jurisdiction == latest.c.jurisdiction,
                           fd.c.version == latest.c.v))
        .order_by(fd.c.code, fd.c.jurisdiction).limit(limit + 1).offset(offset)).all()
    items = [dict(r._mapping) for r in rows[:limit]]
    return {"items": items, "next_offset": offset + limit if len(rows) > limit else None}


def definition(session: Session, code: str, jurisdiction: str, version: int | None) -> dict:
    version = version or _latest_version(session, code, jurisdiction)
    if version is None:
        raise NotFound("No such form.", {"form_code": code, "jurisdiction": jurisdiction})
    return load(session, code, jurisdiction, version).raw
