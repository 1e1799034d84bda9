"""A filing's audit trail (who started, saved, submitted, returned or accepted it), for
whoever may see the filing: its filer and the offices over the filer; 404 to anyone
else (a mixin of FilingsService)."""

from __future__ import annotations

from services.common import audit
from services.common.contracts.filings import FilingId
from services.common.contracts.platform import AuditFilterV1, AuditPageV1
from services.common.rpc import rpc
from services.common.validation import parse
from services.filings.returns import filings


class FilingAuditQuery(AuditFilterV1):
    filing_id: FilingId


class FilingTrailEntrypoints:
    @rpc
    def filing_audit(self, payload):
        """Who did what to one filing, newest first."""
        query = parse(FilingAuditQuery, payload)
        with self.db.read() as session:
            row = filings.visible(session, self.caller, query.filing_id)
            page = audit.read(session, self.db.tables.audit, entity_type="filing",
                              entity_id=row.id,
                              **query.model_dump(exclude={"filing_id"}, exclude_none=True))
        return AuditPageV1.model_validate(page).wire()
