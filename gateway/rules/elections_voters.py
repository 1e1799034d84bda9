"""Rules of the election routes of the voters part (groups from gateway.rules.elections).

The draw is the election's officers'; publication and the scrutiny of objections the
RO's. Objections are filed by a society representative (unscoped here: the service
checks that the grant names the election's society) or recorded by the officers. The
list as it stands is for the officers, the CEA and the society's representative (the
service checks the society); the published lists are public."""

from __future__ import annotations

from gateway.rules.base import Access, allow, public
from gateway.rules.elections import CEA, ELECTION, OFFICERS, RO, officers

_RO = allow(*RO, scope=ELECTION, hide_existence=True)
_READERS = allow(*OFFICERS, *CEA, "society_representative")

RULES: dict[str, Access] = {
    "elections.voters.draw": officers(),
    "elections.voters.status": officers(*CEA),
    "elections.voters.publish": _RO,
    "elections.voters.page": public(),
    "elections.voters.export": public(),
    "elections.voters.list": _READERS,
    "elections.voters.file_objection": allow(*OFFICERS, "society_representative"),
    "elections.voters.list_objections": _READERS,
    "elections.voters.decide_objection": _RO,
    "elections.voters.assign_booths": _RO,
    "elections.voters.assign_booths_file": _RO,
    "elections.voters.booths": _READERS,
}
