"""Rules of the election routes (the order and programme; the other parts' modules
``elections_voters``, ``elections_nominations`` and ``elections_counting`` reuse the
groups named here).

An RO's or ARO's grant is scoped to one election (``election:<id>``): another election
answers 404. The CEA's officials are unscoped. The elections service checks again."""

from __future__ import annotations

from gateway.identity import roles as R
from gateway.rules.base import Access, allow, public

CEA = ("cea_official",)
RO = ("returning_officer",)
OFFICERS = ("returning_officer", "assistant_returning_officer")
ELECTION = (R.ELECTION, "election_id")


def officers(*extra: str) -> Access:
    """The election's own officers (scoped to it), and the unscoped roles in ``extra``."""
    return allow(*OFFICERS, *extra, scope=ELECTION, hide_existence=True)


RULES: dict[str, Access] = {
    "elections.create": allow(*CEA),
    "elections.list": allow(*CEA, *OFFICERS, "society_representative"),
    "elections.set_clock": allow(*CEA),
    "elections.dashboard": allow(*CEA),
    "elections.get": officers(*CEA),
    "elections.public": public(),
    "elections.programme": officers(*CEA),
    "elections.amend_programme": allow(*CEA),
    "elections.assign_booth_officer": allow(*RO, scope=ELECTION, hide_existence=True),
    "elections.audit": officers(*CEA),
    "elections.record_ob_meeting": allow(*RO, scope=ELECTION, hide_existence=True),
    "elections.ob_meeting": officers(*CEA),
    "elections.scrutiny_nominations": officers(*CEA),
}
