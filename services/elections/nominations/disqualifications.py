"""The CEA's disqualification orders. A person is named by Aadhaar (digested) or by a
nomination of any election; later scrutiny in any society's election refuses them
while the order is in force. Rule 19V (no account of election expenses lodged) runs 3
years from the order unless the order says otherwise."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import elections_nominations as contracts
from services.common.errors import InvalidInput, NotFound
from services.elections.nominations.identity import identity_digest
from services.elections.nominations.scrutiny import add_years
from services.elections.tables import disqualification, nomination

DEFAULT_YEARS = {"19V": 3}


def record(session: Session, ctx: CallContext, command: contracts.RecordDisqualificationV1,
           at: datetime) -> dict:
    source = None
    if command.nomination_id:
        found = session.execute(select(nomination).where(
            nomination.c.id == command.nomination_id)).one_or_none()
        if found is None:
            raise NotFound("No such nomination.", {"nomination_id": command.nomination_id})
        digest, name, source = found.identity_digest, command.name or found.candidate_name, \
            found.election_id
    else:
        digest, name = identity_digest(command.aadhaar or ""), command.name or ""
    until = command.until
    if until is None:
        years = DEFAULT_YEARS.get(command.rule.upper())
        if years is None:
            raise InvalidInput("The order's end is needed.", fields={
                "until": f"required for rule {command.rule} (only rule 19V has a default "
                         "of 3 years from the order)"})
        until = add_years(command.order_date, years)
    disq_id = str(uuid.uuid4())
    values = dict(id=disq_id, identity_digest=digest, name=name, rule=command.rule,
                  order_ref=command.order_ref, order_date=command.order_date, until=until,
                  source_election_id=source, reason=command.reason,
                  recorded_by=ctx.actor_id, recorded_at=at)
    session.execute(disqualification.insert().values(**values))
    return as_dict(values)


def as_dict(row) -> dict:
    get = row.get if isinstance(row, dict) else row._mapping.get
    return contracts.DisqualificationV1(
        id=get("id"), name=get("name"), rule=get("rule"), order_ref=get("order_ref"),
        order_date=get("order_date"), until=get("until"),
        source_election_id=get("source_election_id"), reason=get("reason"),
        recorded_by=get("recorded_by"), recorded_at=get("recorded_at")).wire()


def page(session: Session, query: contracts.DisqualificationQueryV1) -> dict:
    d = disqualification
    stmt = select(d)
    if query.in_force_on:
        stmt = stmt.where(d.c.order_date <= query.in_force_on, d.c.until >= query.in_force_on)
    if query.rule:
        stmt = stmt.where(d.c.rule == query.rule)
    rows = list(session.execute(stmt.order_by(d.c.recorded_at.desc(), d.c.id)
                                .limit(query.limit + 1).offset(query.offset)))
    more = len(rows) > query.limit
    return {"items": [as_dict(r) for r in rows[:query.limit]],
            "next_offset": query.offset + query.limit if more else None}
