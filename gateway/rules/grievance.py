"""Rules of the case routes. The gateway checks roles only: a case's office, its
``case:<id>`` grant and its complainant are known to the grievance service, which checks
them on every call (others get 404 there)."""

from __future__ import annotations

from gateway.rules.base import Access, allow

OFFICE = ("dealing_officer", "registrar")
CASE_WORKERS = ("auditor", "inspector", "inquirer", "arbitrator")
RAISERS = ("citizen", "society_representative")
EVERYONE_ON_CASES = (*OFFICE, *CASE_WORKERS, *RAISERS, "administrator")

RULES: dict[str, Access] = {
    "cases.kinds": allow(*EVERYONE_ON_CASES),
    "cases.kind": allow(*EVERYONE_ON_CASES),
    "cases.kind_versions": allow(*EVERYONE_ON_CASES),
    "cases.kinds.publish": allow("administrator"),
    "grievances.raise": allow(*RAISERS),
    "inquiries.request": allow(*OFFICE, *RAISERS),
    "cases.list": allow(*EVERYONE_ON_CASES),
    "cases.dashboard": allow(*OFFICE, "administrator"),
    "cases.performance": allow(*OFFICE, "administrator"),
    "cases.get": allow(*EVERYONE_ON_CASES),
    "cases.act": allow(*OFFICE, *CASE_WORKERS, *RAISERS),
    "cases.history": allow(*EVERYONE_ON_CASES),
    "cases.audit": allow(*OFFICE, "administrator"),
    # SLA versions: published, and withdrawn before they come into force, by a registrar
    # (the service checks the office lies under the grant) or an administrator; read by
    # everyone on cases.
    "cases.slas.publish": allow("registrar", "administrator"),
    "cases.slas.withdraw": allow("registrar", "administrator"),
    "cases.slas.list": allow(*EVERYONE_ON_CASES),
    "cases.slas.in_force": allow(*EVERYONE_ON_CASES),
}
