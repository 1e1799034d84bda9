"""Channel adapters: how a batch of messages leaves the platform (SMS provider, SMTP).

Each adapter takes claimed delivery rows and answers one ``Result`` per row, in order:
sent (with the provider's id), transient (retry later, perhaps after ``retry_after``)
or permanent (never retried). The idempotency key travels with every message.
"""

from __future__ import annotations

from dataclasses import dataclass

SENT = "sent"
TRANSIENT = "transient"
PERMANENT = "permanent"


@dataclass(frozen=True)
class Message:
    key: str
    destination: str
    subject: str | None
    body: str
    language: str
    # The event or job the message belongs to ("job:<id>"): identical texts of one
    # origin are one message to many recipients (one e-mail transaction, one
    # Message-ID). None: the message stands alone, identified by its key.
    origin: str | None = None


@dataclass(frozen=True)
class Result:
    kind: str                      # sent | transient | permanent
    provider_id: str | None = None
    error: str | None = None
    retry_after: float | None = None
