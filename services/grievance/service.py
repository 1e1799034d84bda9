"""The grievance service: one class composed of a mixin per part (the case engine's
actions and readings, grievances, inquiries and inspections, appeals and court cases
with hearings and orders, the escalation timer), sharing one database provider and one
registry proxy (a society's office chain routes a case)."""

from nameko.rpc import RpcProxy

from services.common.commands import Commands
from services.common.database import Database
from services.common.service import PlatformService
from services.grievance import models, tables  # noqa: F401  (tables on the metadata)
from services.grievance.cases.entrypoints import CaseEntrypoints
from services.grievance.escalation.entrypoints import EscalationEntrypoints
from services.grievance.grievances.entrypoints import GrievanceEntrypoints
from services.grievance.hearings.entrypoints import HearingEntrypoints
from services.grievance.inquiries.entrypoints import InquiryEntrypoints


class GrievanceService(GrievanceEntrypoints, InquiryEntrypoints, CaseEntrypoints,
                       HearingEntrypoints, EscalationEntrypoints, Commands,
                       PlatformService):
    name = "grievance"
    db = Database(models.platform)
    registry = RpcProxy("registry")
