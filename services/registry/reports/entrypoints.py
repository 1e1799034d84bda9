"""RPC entrypoints of reports: societies and applications counted by a dimension, rolled
up the office hierarchy (a mixin of RegistryService)."""

from __future__ import annotations

from pydantic import Field

from services.common.contracts.base import Contract
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry.reports import counts as reports


class ReportQuery(Contract):
    by: str = Field(pattern=r"^(state|type|status|registration_year|stage|kind|overdue)$")
    office_id: str | None = Field(None, min_length=1, max_length=64)


class ReportEntrypoints:
    @rpc
    def report_societies(self, payload):
        query = parse(ReportQuery, payload)
        with self.db.read() as session:
            reach = reports.reach(session, self.db.ctx, query.office_id)
            return reports.societies_by(session, query.by, reach)

    @rpc
    def report_applications(self, payload):
        query = parse(ReportQuery, payload)
        with self.db.read() as session:
            reach = reports.reach(session, self.db.ctx, query.office_id)
            return reports.applications_by(session, query.by, reach)
