"""Rules of the appeal and court-case routes (groups from gateway.rules.grievance).
Appeals are filed by societies and citizens; court cases recorded by the office;
hearings and orders by the office and arbitrators (the service checks which kind lets
whom); a court case's status is public (seed 001)."""

from __future__ import annotations

from gateway.rules.base import Access, allow, public
from gateway.rules.grievance import OFFICE, RAISERS

RULES: dict[str, Access] = {
    "appeals.file": allow(*RAISERS),
    "disputes.file": allow(*RAISERS),
    "court_cases.open": allow(*OFFICE),
    "court_cases.public_status": public(),
    "cases.schedule_hearing": allow(*OFFICE, "arbitrator"),
    "cases.record_order": allow(*OFFICE, "arbitrator"),
}
