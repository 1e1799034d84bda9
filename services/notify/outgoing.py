"""Turning one notice for one recipient into what goes out: a mailbox message and a
delivery record per channel, every one under its idempotency key.

A recipient without a usable address on a channel still gets a delivery record, marked
failed with the reason, so nothing is silently dropped and the sender can see it.

A person's texts are in their language. A society's or an office's mailbox is read by
whoever holds a role there and has no language of its own: its message carries English
and Hindi (``templates.render_both``); SMS and e-mail stay in the recipient's language.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from services.notify import deliveries, mailbox
from services.notify.contacts import BadAddress, normalise
from services.notify.rules import Notice
from services.notify.templates import TemplateBook, render, render_both

# Mailboxes without a language of their own: their messages are in English and Hindi.
SHARED_MAILBOXES = frozenset({"society", "office"})


def apply_notice(session: Session, notice: Notice, *, origin: str, origin_id: str,
                 books: dict | None = None, now: datetime | None = None) -> list[dict]:
    """Post and queue ``notice``; answers the delivery rows it queued (for metrics)."""
    now = now or datetime.now(UTC)
    books = {} if books is None else books
    book_key = (notice.template_key, notice.jurisdiction)
    if book_key not in books:
        books[book_key] = TemplateBook(session, notice.template_key, notice.jurisdiction)
    recipient = notice.recipient
    book = books[book_key]
    template = book.for_language(recipient.language)
    variables = {**notice.variables, "recipient_name": recipient.name}
    text = render(template, variables)
    rows = []
    for channel in notice.channels:
        delivery_key = deliveries.key(origin, origin_id, recipient.id, channel)
        common = {"key": delivery_key, "origin": origin, "origin_id": origin_id,
                  "recipient_id": recipient.id, "channel": channel,
                  "language": template.language, "now": now}
        if channel == "mailbox":
            if recipient.mailbox is None:
                rows.append(deliveries.row(**common, destination="", body=text.body,
                                           subject=text.subject, status=deliveries.FAILED,
                                           error="the recipient has no mailbox"))
                continue
            kind, box_id = recipient.mailbox
            posted = render_both(book, variables) if kind in SHARED_MAILBOXES else text
            mailbox.post(session, mailbox_kind=kind, mailbox_id=box_id, kind=notice.kind,
                         subject=posted.subject, body=posted.body, links=notice.links,
                         source_key=delivery_key, now=now)
            rows.append(deliveries.row(**{**common, "language": posted.language},
                                       destination=f"{kind}:{box_id}", body=posted.body,
                                       subject=posted.subject,
                                       status=deliveries.DELIVERED))
            continue
        address = recipient.email if channel == "email" else recipient.phone
        body = text.body if channel == "email" else text.sms
        try:
            destination = normalise(channel, address)
        except BadAddress as exc:
            rows.append(deliveries.row(**common, destination=(address or "")[:254],
                                       body=body, subject=text.subject,
                                       status=deliveries.FAILED, error=str(exc)))
            continue
        rows.append(deliveries.row(**common, destination=destination, body=body,
                                   subject=text.subject))
    deliveries.queue(session, rows)
    return rows
