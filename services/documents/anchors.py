"""The keeper of audit anchors: every service publishes its audit chain's signed head
(``audit_head_anchored``, services/common/audit_anchor.py) and the documents service
keeps each one in its own database, once; ``audit_anchor`` answers the newest one of a
service, which that service's verify compares its chain with (docs/adr/0012).

A mixin of DocumentsService: one handler per publishing service (nameko binds a handler
to one source), all doing the same thing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.consumer import event_handler
from services.common.contracts.platform import (
    AuditAnchorQueryV1,
    AuditAnchorV1,
    AuditHeadAnchoredV1,
)
from services.common.errors import Forbidden, InvalidInput
from services.common.rpc import rpc
from services.common.validation import parse
from services.documents.metrics import documents_metrics
from services.documents.models import audit_anchor

EVENT = AuditHeadAnchoredV1.event_type

# Heads only grow, so the newest anchor is the one with the highest entry id.
NEWEST = (select(audit_anchor).where(audit_anchor.c.service == bindparam("service"))
          .order_by(audit_anchor.c.last_id.desc(), audit_anchor.c.id.desc()).limit(1))


def keep(session: Session, anchor: AuditHeadAnchoredV1, event_id: str) -> bool:
    """Add ``anchor`` in the caller's transaction; False if this head was kept before."""
    try:
        with session.begin_nested():
            session.execute(insert(audit_anchor).values(
                service=anchor.service, last_id=anchor.last_id, last_hash=anchor.last_hash,
                entries=anchor.entries, anchored_at=anchor.at, signature=anchor.signature,
                key_id=anchor.key_id, event_id=event_id, received_at=datetime.now(UTC)))
    except IntegrityError:
        return False
    return True


def newest(session: Session, service: str) -> AuditAnchorV1:
    row = session.execute(NEWEST, {"service": service}).mappings().first()
    if row is None:
        return AuditAnchorV1(service=service)
    return AuditAnchorV1(service=service, received_at=row["received_at"],
                         anchor=AuditHeadAnchoredV1(
                             service=row["service"], last_id=row["last_id"],
                             last_hash=row["last_hash"], entries=row["entries"],
                             at=row["anchored_at"], signature=row["signature"],
                             key_id=row["key_id"]))


class AnchorKeeping:
    def _keep_anchor(self, source: str, payload) -> None:
        anchor = parse(AuditHeadAnchoredV1, payload)
        if anchor.service != source:
            raise InvalidInput(f"{source} published an anchor of another service's chain.",
                               fields={"service": f"must be {source}"})
        with self.db.unit_of_work() as uow:
            if not uow.claim_event():
                return
            if keep(uow.session, anchor, uow.ctx.event_id):
                documents_metrics().anchors_kept.labels(source).inc()

    @rpc
    def audit_anchor(self, payload):
        """The newest anchor kept of one service's chain (administrators, the platform)."""
        query = parse(AuditAnchorQueryV1, payload)
        ctx = self.caller
        if ctx.actor_role != "administrator" and not (
                ctx.actor_role == "system" and not ctx.scoped):
            raise Forbidden("Only an administrator reads audit anchors.")
        with self.db.read() as session:
            return newest(session, query.service).wire()

    @event_handler("registry", EVENT)
    def on_registry_audit_head_anchored(self, payload):
        self._keep_anchor("registry", payload)

    @event_handler("elections", EVENT)
    def on_elections_audit_head_anchored(self, payload):
        self._keep_anchor("elections", payload)

    @event_handler("filings", EVENT)
    def on_filings_audit_head_anchored(self, payload):
        self._keep_anchor("filings", payload)

    @event_handler("grievance", EVENT)
    def on_grievance_audit_head_anchored(self, payload):
        self._keep_anchor("grievance", payload)

    @event_handler("notify", EVENT)
    def on_notify_audit_head_anchored(self, payload):
        self._keep_anchor("notify", payload)

    @event_handler("documents", EVENT)
    def on_documents_audit_head_anchored(self, payload):
        self._keep_anchor("documents", payload)
