"""Anchoring a service's audit chain outside its own database.

A chain that fits together proves no entry was changed, but not that none was removed
from its end. So every ``<SERVICE>_AUDIT_ANCHOR_SECONDS`` (60) a timer takes the chain's
head (last id, last hash, number of entries), signs it with the service's anchoring key
(HMAC-SHA256) and, only if the head moved since the last anchor, records an
``AuditHeadAnchoredV1`` in the outbox. The documents service keeps every anchor it
receives (``services/documents/anchors.py``). ``verify_against`` then compares the
chain with the newest anchor the keeper holds: an anchored entry gone or fewer entries
than anchored is ``truncated``, another hash at the anchored id is ``rewritten``.
Before anchoring, the timer asks the keeper for its newest anchor: a chain that no
longer holds it is not anchored again (``AnchorRefused``), so a removed tail cannot
hide behind a newer anchor.

The key: ``<SERVICE>_AUDIT_ANCHOR_KEY`` (at least 32 bytes), required when
``ENVIRONMENT=production``; in development a random key is made once and kept in
``$DATA_DIR/<service>-audit-anchor.key`` so restarts and replicas agree on it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Literal

from nameko.timer import Timer
from prometheus_client import REGISTRY, Counter, Gauge
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from services.common import audit
from services.common.contracts.platform import (
    AuditAnchoredVerificationV1,
    AuditAnchorV1,
    AuditHeadAnchoredV1,
)

log = logging.getLogger(__name__)

MIN_KEY_BYTES = 32
DEFAULT_PERIOD_SECONDS = 60.0


class AnchorSettings(BaseSettings):
    """``<SERVICE>_AUDIT_ANCHOR_SECONDS`` and ``<SERVICE>_AUDIT_ANCHOR_KEY``."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True,
                                      hide_input_in_errors=True)

    service_name: str
    environment: Literal["development", "production"] = Field("development",
                                                             alias="ENVIRONMENT")
    data_dir: Path = Field(Path("data"), alias="DATA_DIR")
    audit_anchor_seconds: float = Field(DEFAULT_PERIOD_SECONDS, gt=0, le=86400)
    audit_anchor_key: SecretStr | None = None

    @model_validator(mode="after")
    def _production_needs_a_key(self) -> AnchorSettings:
        variable = f"{self.service_name.upper()}_AUDIT_ANCHOR_KEY"
        if self.audit_anchor_key is not None and len(
                self.audit_anchor_key.get_secret_value().encode()) < MIN_KEY_BYTES:
            raise ValueError(f"{variable} is shorter than {MIN_KEY_BYTES} bytes")
        if self.environment == "production" and self.audit_anchor_key is None:
            raise ValueError(f"{variable} is required when ENVIRONMENT=production")
        return self

    def key_bytes(self) -> bytes:
        if self.audit_anchor_key is not None:
            return self.audit_anchor_key.get_secret_value().encode()
        path = self.data_dir / f"{self.service_name}-audit-anchor.key"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x") as handle:  # only the first process writes it
                handle.write(secrets.token_hex(32))
            path.chmod(0o600)
        except FileExistsError:
            pass
        return path.read_text().strip().encode()


@cache
def anchor_settings(service_name: str) -> AnchorSettings:
    """Read once per process; raises ValueError for a production setting left out."""
    return AnchorSettings(service_name=service_name,
                          _env_prefix=f"{service_name.upper()}_")


def key_id(key: bytes) -> str:
    """Names a key without revealing it, so a rotated key's anchors are told apart."""
    return hashlib.sha256(b"audit-anchor-key:" + key).hexdigest()[:16]


def signed_material(service: str, last_id: int, last_hash: str, entries: int,
                    at: datetime) -> bytes:
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return json.dumps({"service": service, "last_id": last_id, "last_hash": last_hash,
                       "entries": entries, "at": at.isoformat(timespec="microseconds")},
                      sort_keys=True, separators=(",", ":")).encode()


def sign(key: bytes, service: str, head: audit.Head, at: datetime) -> AuditHeadAnchoredV1:
    material = signed_material(service, head.last_id, head.last_hash, head.entries, at)
    return AuditHeadAnchoredV1(
        service=service, last_id=head.last_id, last_hash=head.last_hash,
        entries=head.entries, at=at, key_id=key_id(key),
        signature=hmac.new(key, material, hashlib.sha256).hexdigest())


def signature_fits(key: bytes, anchor: AuditHeadAnchoredV1) -> bool:
    material = signed_material(anchor.service, anchor.last_id, anchor.last_hash,
                               anchor.entries, anchor.at)
    expected = hmac.new(key, material, hashlib.sha256).hexdigest()
    return anchor.key_id == key_id(key) and hmac.compare_digest(expected, anchor.signature)


class AnchorMetrics:
    def __init__(self, service: str, registry=REGISTRY):
        self.published = Counter("audit_anchors", "Audit chain heads anchored (published "
                                 "through the outbox)", namespace=service, registry=registry)
        self.refused = Counter("audit_anchor_refusals", "Anchoring ticks that found an "
                               "anchored head gone from the chain (verify it now)",
                               namespace=service, registry=registry)
        self.age = Gauge("audit_anchor_age_seconds", "Seconds since the anchoring timer "
                         "last found the chain's head anchored (just published, or "
                         "unchanged since)", namespace=service, registry=registry)
        self._anchored_at = time.monotonic()
        self.age.set_function(lambda: time.monotonic() - self._anchored_at)

    def anchored(self) -> None:
        self._anchored_at = time.monotonic()


@cache
def anchor_metrics(service: str) -> AnchorMetrics:
    return AnchorMetrics(service)


def last_anchor(session: Session, outbox: Table) -> AuditHeadAnchoredV1 | None:
    """The newest anchor this service recorded (its own outbox; pruned after the
    retention, then the next anchor counts the chain in full)."""
    payload = session.execute(
        select(outbox.c.payload)
        .where(outbox.c.event_type == AuditHeadAnchoredV1.event_type)
        .order_by(outbox.c.id.desc()).limit(1)).scalar()
    return AuditHeadAnchoredV1.model_validate(payload) if payload is not None else None


class AnchorRefused(Exception):
    """The chain no longer holds a head anchored before: anchoring its present head
    would let the newest anchor cover the loss, so the service stops anchoring."""


def _head_of(anchor: AuditHeadAnchoredV1) -> audit.Head:
    return audit.Head(anchor.last_id, anchor.last_hash, anchor.entries)


def anchor_head(uow, tables, service: str, key: bytes,
                kept: AuditHeadAnchoredV1 | None = None) -> AuditHeadAnchoredV1 | None:
    """In the caller's unit of work: record an anchor of the chain's head if it moved
    since the last one; returns it (None: empty chain or head already anchored).

    ``kept`` is the newest anchor the keeper holds (None if it did not answer); with the
    last one in this service's outbox, each must still be in the chain, or
    ``AnchorRefused``: a removed tail stays behind the newest anchor until someone looks."""
    audit.lock_chain(uow.session)  # appends and other replicas wait; the head holds still
    ours = [anchor for anchor in (kept, last_anchor(uow.session, tables.outbox))
            if anchor is not None and anchor.service == service
            and signature_fits(key, anchor)]
    for anchor in ours:
        if not audit.holds(uow.session, tables.audit, _head_of(anchor)):
            raise AnchorRefused(f"entry #{anchor.last_id}, anchored at "
                                f"{anchor.at.isoformat()}, is no longer in the chain with "
                                f"hash {anchor.last_hash}")
    earlier = _head_of(max(ours, key=lambda a: a.last_id)) if ours else None
    current = audit.head(uow.session, tables.audit, since=earlier)
    if current is None or current == earlier:
        return None
    anchor = sign(key, service, current, datetime.now(UTC))
    uow.emit(anchor)
    return anchor


class AnchorTimer(Timer):
    """A nameko timer whose period is the service's ``<SERVICE>_AUDIT_ANCHOR_SECONDS``."""

    def __init__(self, **kwargs):
        super().__init__(interval=DEFAULT_PERIOD_SECONDS, **kwargs)

    def setup(self):
        self.interval = anchor_settings(self.container.service_name).audit_anchor_seconds
        super().setup()


anchor_timer = AnchorTimer.decorator


def verify_against(session: Session, table: Table, service: str,
                   anchor: AuditHeadAnchoredV1 | None) -> AuditAnchoredVerificationV1:
    """Walk the chain, then compare it with ``anchor`` (the newest one its keeper holds)."""
    walk = audit.verify(session, table)
    answer = {"service": service, "entries_checked": walk.entries_checked,
              "first_bad_entry_id": walk.first_bad_entry_id, "anchor": anchor}
    if anchor is not None:
        answer["anchor_age_seconds"] = round(
            (datetime.now(UTC) - anchor.at).total_seconds(), 3)
    broken = "" if walk.ok else (f"entry #{walk.first_bad_entry_id}: {walk.reason}")
    if anchor is None:
        return AuditAnchoredVerificationV1(
            **answer, status="unanchored" if walk.ok else "broken", ok=walk.ok,
            reason=broken or "no anchor of this chain has been kept yet: a removed tail "
                             "cannot be told")
    key = anchor_settings(service).key_bytes()
    if anchor.service != service or not signature_fits(key, anchor):
        return AuditAnchoredVerificationV1(
            **answer, status="anchor_unverifiable", ok=False,
            reason=f"the kept anchor is not signed with {service}'s current key"
                   + (f"; {broken}" if broken else ""))
    check = audit.check_anchor(session, table, audit.Head(anchor.last_id, anchor.last_hash,
                                                          anchor.entries))
    answer.update(expected_hash=check.expected_hash, found_hash=check.found_hash,
                  anchored_entries=check.anchored_entries, found_entries=check.found_entries)
    if check.status != "ok":
        return AuditAnchoredVerificationV1(
            **answer, status=check.status, ok=False,
            reason=check.reason + (f"; {broken}" if broken else ""))
    if not walk.ok:
        return AuditAnchoredVerificationV1(**answer, status="broken", ok=False,
                                           reason=broken)
    return AuditAnchoredVerificationV1(**answer, status="ok", ok=True)


KEEPER = "documents"
KEEPER_TIMEOUT_SECONDS = 3.0


def kept_anchor(keeper, service: str) -> AuditHeadAnchoredV1 | None:
    """The keeper's newest anchor of ``service`` (``keeper``: an RpcProxy to documents);
    None if there is none or the keeper did not answer in time."""
    import eventlet

    try:
        with eventlet.Timeout(KEEPER_TIMEOUT_SECONDS):
            answer = keeper.audit_anchor.call_async(payload={"service": service}).result()
    except (Exception, eventlet.Timeout) as exc:  # away or refusing: own outbox only
        log.warning("the audit anchor keeper did not answer (%r)", exc)
        return None
    return AuditAnchorV1.model_validate(answer).anchor
