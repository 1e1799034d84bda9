"""Rules of the election routes of the nominations part (groups from gateway.rules.elections).

Filing and withdrawal: the election's officers (scoped) or a society representative
(unscoped here: the service checks the grant names the election's society). The lists
are public; the service shows them only once displayed or published. Scrutiny and the
publications are the RO's; disqualification orders the CEA's."""

from __future__ import annotations

from gateway.rules.base import Access, allow, public
from gateway.rules.elections import CEA, ELECTION, OFFICERS, RO

_RO = allow(*RO, scope=ELECTION, hide_existence=True)

RULES: dict[str, Access] = {
    "elections.nominations.file": allow(*OFFICERS, "society_representative"),
    "elections.nominations.list": public(),
    "elections.nominations.get": public(),
    "elections.nominations.display": _RO,
    "elections.nominations.decide": _RO,
    "elections.nominations.withdraw": allow(*OFFICERS, "society_representative"),
    "elections.nominations.publish_valid": _RO,
    "elections.nominations.publish_contesting": _RO,
    "elections.nominations.contesting": public(),
    "elections.nominations.record_disqualification": allow(*CEA),
    "elections.nominations.list_disqualifications": allow(*CEA),
}
