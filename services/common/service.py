"""What every service class inherits: its metrics, its caller context and the
platform RPCs (``health``, ``verify_audit_chain``). A service adds ``name`` and
``db = Database(<its tables>)``; domain entrypoints come on top."""

from __future__ import annotations

from services.common import audit
from services.common.context import Caller
from services.common.contracts.platform import AuditPageV1, AuditQueryV1, AuditVerificationV1
from services.common.errors import Forbidden
from services.common.health import health_report
from services.common.metrics import Metrics
from services.common.rpc import rpc
from services.common.validation import parse


class PlatformService:
    name: str
    metrics = Metrics()
    caller = Caller()

    @classmethod
    def preflight(cls) -> None:
        """Checks before serving (a production setting that must not stay at its
        development default): raise ValueError or RuntimeError saying what to set."""

    @rpc
    def health(self, payload=None):
        """Database reachable, migrations at head, outbox backlog."""
        return health_report(self.name, self.db.read_engine, self.db.tables).wire()

    @rpc
    def verify_audit_chain(self, payload=None):
        """Walk the audit chain and report the first entry that does not fit."""
        with self.db.read() as session:
            result = audit.verify(session, self.db.tables.audit)
        return AuditVerificationV1(service=self.name, ok=result.ok,
                                   entries_checked=result.entries_checked,
                                   first_bad_entry_id=result.first_bad_entry_id,
                                   reason=result.reason).wire()

    @rpc
    def audit_entries(self, payload=None):
        """The whole trail, filtered: for administrators (and unscoped system callers);
        a domain offers its own scoped reading per entity (e.g. an application's)."""
        query = parse(AuditQueryV1, payload or {})
        ctx = self.caller
        if ctx.actor_role != "administrator" and not (
                ctx.actor_role == "system" and not ctx.scoped):
            raise Forbidden("Only an administrator reads the whole audit trail.")
        with self.db.read() as session:
            page = audit.read(session, self.db.tables.audit,
                              **query.model_dump(exclude_none=True))
        return AuditPageV1.model_validate(page).wire()
