"""Rules of the election routes of the counting part (groups from gateway.rules.elections).

Booth entries: the election's officers (the service checks the officer is assigned to
the booth). Reconciliation, draws of lots, the forms and declarations: the RO. The count,
the forms and declarations are read by the officers and the CEA; Section B is the CEA's."""

from __future__ import annotations

from gateway.rules.base import Access, allow
from gateway.rules.elections import CEA, ELECTION, RO, officers

_RO = allow(*RO, scope=ELECTION, hide_existence=True)

RULES: dict[str, Access] = {
    "elections.counting.enter": officers(),
    "elections.counting.queue": _RO,
    "elections.counting.reconcile": _RO,
    "elections.counting.result": officers(*CEA),
    "elections.counting.resolve_tie": _RO,
    "elections.counting.preview_19m": _RO,
    "elections.counting.submit_19m": _RO,
    "elections.counting.preview_19n": _RO,
    "elections.counting.submit_19n": _RO,
    "elections.counting.list_forms": officers(*CEA),
    "elections.counting.get_form": officers(*CEA),
    "elections.counting.decide": allow(*CEA),
    "elections.counting.declare_board": _RO,
    "elections.counting.declare_office_bearers": _RO,
    "elections.counting.declarations": officers(*CEA),
}
