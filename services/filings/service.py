"""Entrypoints of the filings service: one class composed of a mixin per part (returns
and their form definitions; due dates and compliance; audits; financial assistance's
eligibility), sharing one database provider and one registry proxy."""

from nameko.rpc import RpcProxy

from services.common.commands import Commands
from services.common.database import Database
from services.common.service import PlatformService
from services.filings import models, tables  # noqa: F401  (tables on the metadata)
from services.filings.assistance.entrypoints import AssistanceEntrypoints
from services.filings.audits.entrypoints import AuditEntrypoints
from services.filings.audits.panel_entrypoints import EmpanelmentEntrypoints
from services.filings.compliance.entrypoints import ComplianceEntrypoints
from services.filings.returns.entrypoints import ReturnEntrypoints
from services.filings.returns.trail import FilingTrailEntrypoints


class FilingsService(ReturnEntrypoints, ComplianceEntrypoints, AuditEntrypoints,
                     EmpanelmentEntrypoints,
                     AssistanceEntrypoints, FilingTrailEntrypoints, Commands,
                     PlatformService):
    name = "filings"
    db = Database(models.platform)
    registry = RpcProxy("registry")
