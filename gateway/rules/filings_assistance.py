"""Rules of the financial assistance routes (seed 004). An application is named by its
id, with no scope source here: the filings service checks that a ``society:`` grant names
its society, that the committee's steps come from the district office (``office:``) and
the sanction from the state Registrar's, and answers 404 for an application out of reach."""

from __future__ import annotations

from gateway.rules.base import Access, allow

STAFF = ("dealing_officer", "registrar")
FILERS = ("society_representative", *STAFF)

RULES: dict[str, Access] = {
    "filings.assistance.apply": allow("society_representative"),
    # the service checks the society is the grant's, or under the staff's office (404)
    "filings.assistance.society_eligibility": allow(*FILERS),
    "filings.assistance.list": allow(*FILERS),
    "filings.assistance.get": allow(*FILERS),
    "filings.assistance.recommend": allow(*STAFF),
    "filings.assistance.forward": allow(*STAFF),
    "filings.assistance.sanction": allow("registrar"),
    "filings.assistance.reject": allow("registrar"),
    "filings.assistance.budget_split": allow(*STAFF),
    # what follows a sanction: the state office releases, the society certifies its
    # utilisation, the offices over the society record a loan's repayments (the service
    # checks the office and the society, 403/404)
    "filings.assistance.release": allow(*STAFF),
    "filings.assistance.utilise": allow("society_representative"),
    "filings.assistance.repay": allow(*STAFF),
    "filings.assistance.releases": allow(*FILERS),
    "filings.assistance.utilisations": allow(*FILERS),
    "filings.assistance.repayments": allow(*FILERS),
    "filings.assistance.funds": allow(*FILERS),
}
