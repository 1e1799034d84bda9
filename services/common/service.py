"""What every service class inherits: its metrics, its caller context, the platform
RPCs (``health``, ``verify_audit_chain``, ``verify_audit_anchored``, ``audit_entries``,
``actor_audit``) and the timer that anchors its audit chain's head. A service adds
``name`` and ``db = Database(<its tables>)``; domain entrypoints come on top."""

from __future__ import annotations

import logging

from nameko.rpc import RpcProxy

from services.common import audit, audit_anchor
from services.common.context import Caller
from services.common.contracts.platform import (
    AnchoredVerifyQueryV1,
    AuditFilterV1,
    AuditPageV1,
    AuditQueryV1,
    AuditVerificationV1,
)
from services.common.errors import Forbidden
from services.common.health import health_report
from services.common.metrics import Metrics
from services.common.rpc import rpc
from services.common.validation import parse

log = logging.getLogger(__name__)


def _ensure_whole_trail_reader(ctx, what: str) -> None:
    if ctx.actor_role != "administrator" and not (
            ctx.actor_role == "system" and not ctx.scoped):
        raise Forbidden(f"Only an administrator {what}.")


class PlatformService:
    name: str
    metrics = Metrics()
    caller = Caller()
    audit_keeper = RpcProxy(audit_anchor.KEEPER)

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
        _ensure_whole_trail_reader(self.caller, "reads the whole audit trail")
        with self.db.read() as session:
            page = audit.read(session, self.db.tables.audit,
                              **query.model_dump(exclude_none=True))
        return AuditPageV1.model_validate(page).wire()

    @rpc
    def actor_audit(self, payload=None):
        """What the caller did here, newest first: a person reading their own actions
        (the gateway names the actor; nobody reads another's through this)."""
        query = parse(AuditFilterV1, payload or {})
        with self.db.read() as session:
            page = audit.read(session, self.db.tables.audit, actor_id=self.caller.actor_id,
                              **query.model_dump(exclude_none=True))
        return AuditPageV1.model_validate(page).wire()

    @rpc
    def verify_audit_anchored(self, payload=None):
        """Walk the chain and compare it with the anchor its keeper holds (the caller
        fetched it from ``documents.audit_anchor``; the signature shows it is ours)."""
        query = parse(AnchoredVerifyQueryV1, payload or {})
        _ensure_whole_trail_reader(self.caller, "checks the audit chain")
        with self.db.read() as session:
            return audit_anchor.verify_against(session, self.db.tables.audit, self.name,
                                               query.anchor).wire()

    @audit_anchor.anchor_timer
    def anchor_audit_head(self):
        """Every ``<SERVICE>_AUDIT_ANCHOR_SECONDS``: anchor the chain's head if it moved."""
        metrics = audit_anchor.anchor_metrics(self.name)
        settings = audit_anchor.anchor_settings(self.name)
        kept = audit_anchor.kept_anchor(self.audit_keeper, self.name)
        try:
            with self.db.unit_of_work() as uow:
                anchor = audit_anchor.anchor_head(uow, self.db.tables, self.name,
                                                  settings.key_bytes(), kept)
        except audit_anchor.AnchorRefused as exc:
            metrics.refused.inc()
            log.error("audit chain lost an anchored head; not anchoring: %s", exc)
            return None
        except Exception as exc:  # the database is away: the next tick tries again
            log.warning("audit head could not be anchored (%s)", exc)
            return None
        metrics.anchored()
        if anchor is not None:
            metrics.published.inc()
            log.info("audit head anchored", extra={"last_id": anchor.last_id,
                                                   "entries": anchor.entries})
        return None
