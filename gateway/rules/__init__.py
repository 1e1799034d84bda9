"""THE route-by-role matrix: every route's rule by its route name, one module per domain
(``platform``, ``registry``, ``members``, ``documents``, ``notify``,
``elections`` and its parts). ``MATRIX`` joins
them and refuses a route named twice. ``docs/access.md`` is generated from it
(``python -m gateway.access``); a test keeps the two equal."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.rules import (
    audit,
    documents,
    elections,
    elections_accounts,
    elections_counting,
    elections_nominations,
    elections_voters,
    filings,
    filings_assistance,
    filings_audits,
    grievance,
    grievance_hearings,
    members,
    notify,
    platform,
    portal,
    registry,
)
from gateway.rules.base import Access


def join(*parts: Mapping[str, Access]) -> dict[str, Access]:
    joined: dict[str, Access] = {}
    for part in parts:
        twice = joined.keys() & part.keys()
        if twice:
            raise ValueError(f"routes with two access rules: {sorted(twice)}")
        joined.update(part)
    return joined


MATRIX: dict[str, Access] = join(platform.RULES, registry.RULES, members.RULES,
                                 documents.RULES, notify.RULES, elections.RULES,
                                 elections_voters.RULES, elections_nominations.RULES,
                                 elections_counting.RULES, elections_accounts.RULES,
                                 filings.RULES, filings_assistance.RULES, filings_audits.RULES,
                                 grievance.RULES,
                                 grievance_hearings.RULES, portal.RULES, audit.RULES)
