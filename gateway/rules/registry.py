"""Rules of the registry's routes: societies, offices, applications, the public directory,
liquidation and reports.

Routes that name an application, an office or a liquidation case carry no scope source
here: an ``office:`` grant must reach the offices below it and an applicant only what it
created, which only the registry knows; the registry checks and answers 404 otherwise."""

from __future__ import annotations

from gateway.identity import roles as R
from gateway.rules.base import ADMIN, SOCIETY_ROLES, Access, allow, public

APPLICANTS = ("applicant", "society_representative")
STAFF = ("dealing_officer", "registrar")
REGISTRAR = ("registrar",)

RULES: dict[str, Access] = {
    # the public directory (seed 001, G2C 1) and offices
    "societies.search": public(),
    "societies.get": public(),
    # a society's own record: another society's answers 404 (the registry checks it too)
    "societies.register_entry": allow(*SOCIETY_ROLES, scope=(R.SOCIETY, "society_id"),
                                      hide_existence=True),
    "societies.bye_laws": allow(*SOCIETY_ROLES, scope=(R.SOCIETY, "society_id"),
                                hide_existence=True),
    "offices.list": public(),
    "offices.get": public(),
    "offices.create": allow(*ADMIN),
    "offices.set_sla": allow(*REGISTRAR),
    # applications
    "applications.create": allow(*APPLICANTS),
    "applications.list": allow(*APPLICANTS, *STAFF),
    "applications.get": allow(*APPLICANTS, *STAFF),
    "applications.audit": allow(*STAFF),
    "applications.save_draft": allow(*APPLICANTS),
    "applications.verify_promoter": allow(*APPLICANTS),
    "applications.submit": allow(*APPLICANTS),
    "applications.reply": allow(*APPLICANTS),
    "applications.take_up": allow(*STAFF),
    "applications.raise_query": allow(*STAFF),
    "applications.schedule_hearing": allow(*STAFF),
    "applications.approve": allow(*REGISTRAR),
    "applications.reject": allow(*REGISTRAR),
    # liquidation
    "liquidation.order": allow(*REGISTRAR),
    "liquidation.list": allow(*STAFF, "liquidator"),
    "liquidation.get": allow(*STAFF, "liquidator"),
    "liquidation.add_proceeding": allow(*STAFF, "liquidator"),
    "liquidation.add_entry": allow(*STAFF, "liquidator"),
    "liquidation.close": allow(*REGISTRAR),
    "liquidation.revive": allow(*REGISTRAR),
    "liquidation.return": allow(*STAFF),
    "liquidation.proposals": allow(*STAFF),
    "liquidation.proposal": allow(*STAFF),
    "liquidation.decline_proposal": allow(*REGISTRAR),
    # reports
    "reports.societies": allow(*STAFF),
    "reports.applications": allow(*STAFF),
}
