"""The voter list as the rest of the workflow reads it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services.elections.tables import publication, voter

_final_published = select(publication.c.id).where(
    publication.c.election_id == bindparam("election_id"),
    publication.c.kind == "final_voter_list")
_voter = select(voter).where(voter.c.election_id == bindparam("election_id"),
                             voter.c.membership_number == bindparam("number"))


def final_voter(session: Session, election_id: str, membership_number: str) -> Any:
    """The voter on the published final list, or None (no final list yet, not on it,
    or struck off by an upheld objection)."""
    if session.execute(_final_published, {"election_id": election_id}).first() is None:
        return None
    row = session.execute(_voter, {"election_id": election_id,
                                   "number": membership_number}).one_or_none()
    return row if row is not None and row.on_list else None
