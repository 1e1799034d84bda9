"""Rules of the election routes of what follows a declaration (groups from
gateway.rules.elections).

Accounts are recorded by the election's officers (lodged with the RO or an ARO); the
inspection notice, the report of accounts not lodged, remuneration claims and checklist
entries are the RO's; the rule 19U(3) limit, rule 19V orders and decisions on claims the
CEA's. The CEA and the
officers read them all."""

from __future__ import annotations

from gateway.rules.base import Access, allow
from gateway.rules.elections import CEA, ELECTION, RO, officers

_RO = allow(*RO, scope=ELECTION, hide_existence=True)

RULES: dict[str, Access] = {
    "elections.accounts.expenses": officers(*CEA),
    "elections.accounts.lodge": officers(),
    "elections.accounts.limit": allow(*CEA),
    "elections.accounts.notice": _RO,
    "elections.accounts.report": _RO,
    "elections.accounts.decide_default": allow(*CEA),
    "elections.accounts.claims": officers(*CEA),
    "elections.accounts.claim": _RO,
    "elections.accounts.decide_claim": allow(*CEA),
    "elections.accounts.checklist": officers(*CEA),
    "elections.accounts.record_item": _RO,
}
