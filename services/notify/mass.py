"""Mass communication jobs: accepted at once, then materialised from the registry's
member register page by page into delivery rows, which the dispatcher sends.

Fan-out happens in this database, not on the bus: one job row, then per page of members
(``registry.list_member_contacts``, up to 5,000 a page) one INSERT of delivery rows
keyed (job, member, channel), committed together with the job's cursor into the
register. A crash between pages repeats at most one page, whose rows exist already.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import bindparam, exists, func, insert, select, update
from sqlalchemy.orm import Session

from services.common.contracts import notify as contracts
from services.common.errors import NotFound
from services.notify import deliveries
from services.notify.contacts import BadAddress, normalise
from services.notify.models import delivery, mass_job
from services.notify.templates import NATIONAL, TemplateBook, render

MATERIALISING, SENDING, COMPLETED = "materialising", "sending", "completed"


class MemberContact(BaseModel):
    """One item of ``registry.list_member_contacts``, read tolerantly."""

    model_config = ConfigDict(extra="ignore")

    member_id: str
    membership_number: str | None = None
    name: str = ""
    category: str | None = None
    phone: str | None = None
    email: str | None = None
    language: str | None = None


def create(session: Session, command: contracts.CreateMassMessageV1, *, actor_id: str,
           now: datetime | None = None) -> dict:
    """Check the template and variables (refused before anything is queued) and record
    the job; its members are drawn later."""
    book = TemplateBook(session, command.template_key, NATIONAL)
    book.check(command.variables)
    now = now or datetime.now(UTC)
    job = {"id": str(uuid.uuid4()), "society_id": command.society_id,
           "template_key": command.template_key, "jurisdiction": NATIONAL,
           "variables": dict(command.variables), "channels": list(command.channels),
           "filters": command.filters.model_dump(exclude_none=True),
           "as_on": command.as_on.isoformat() if command.as_on else None,
           "status": MATERIALISING, "cursor": None, "recipients": 0,
           "created_by": actor_id, "created_at": now, "materialised_at": None,
           "completed_at": None}
    session.execute(insert(mass_job).values(**job))
    return job


_JOB = select(mass_job).where(mass_job.c.id == bindparam("job_id"))


def get(session: Session, job_id: str):
    row = session.execute(_JOB, {"job_id": job_id}).one_or_none()
    if row is None:
        raise NotFound("No such mass message.")
    return row


def wire(session: Session, job) -> dict:
    def utc(value):
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None \
            else value
    return contracts.MassMessageV1(
        id=job.id, society_id=job.society_id, template_key=job.template_key,
        channels=job.channels, filters=job.filters, as_on=job.as_on, status=job.status,
        recipients=job.recipients,
        progress=deliveries.progress(session, job.id, job.channels),
        created_by=job.created_by, created_at=utc(job.created_at),
        materialised_at=utc(job.materialised_at), completed_at=utc(job.completed_at),
    ).wire()


def registry_request(job, limit: int) -> dict:
    filters = {"status": "active", **(job.filters or {})}
    request = {"society_id": job.society_id, "filters": filters, "after": job.cursor,
               "limit": limit}
    if job.as_on:
        request["as_on"] = job.as_on
    return request


def next_job(session: Session, status: str):
    """One job in ``status`` this process may work on (others skip a locked one)."""
    statement = select(mass_job).where(mass_job.c.status == status) \
        .order_by(mass_job.c.created_at).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return session.execute(statement).one_or_none()


def add_page(session: Session, job, page: dict, *, now: datetime | None = None) -> int:
    """Queue the messages of one page of members and move the job's cursor; answers
    how many members the page held."""
    now = now or datetime.now(UTC)
    members = [MemberContact.model_validate(item) for item in page.get("items") or []]
    book = TemplateBook(session, job.template_key, job.jurisdiction)
    rows = []
    for count, member in enumerate(members, 1):
        if count % 200 == 0:
            deliveries.pause()
        template = book.for_language(member.language)
        variables = {**job.variables, "recipient_name": member.name}
        text = render(template, variables)
        for channel in job.channels:
            address = member.email if channel == "email" else member.phone
            body = text.body if channel == "email" else text.sms
            common = {"key": deliveries.key("job", job.id, member.member_id, channel),
                      "origin": "job", "origin_id": job.id, "job_id": job.id,
                      "recipient_id": member.member_id, "channel": channel,
                      "language": template.language, "body": body,
                      "subject": text.subject, "now": now}
            try:
                rows.append(deliveries.row(**common,
                                           destination=normalise(channel, address)))
            except BadAddress as exc:
                rows.append(deliveries.row(**common, destination=(address or "")[:254],
                                           status=deliveries.FAILED, error=str(exc)))
    deliveries.queue(session, rows)
    following = page.get("next")
    values = {"cursor": following, "recipients": mass_job.c.recipients + len(members)}
    if not following:
        values.update(status=SENDING, materialised_at=now)
    session.execute(update(mass_job).where(mass_job.c.id == job.id).values(**values))
    return len(members)


_QUEUED_LEFT = exists().where(delivery.c.job_id == bindparam("job_id"),
                              delivery.c.status == deliveries.QUEUED)


def finished(session: Session, job) -> bool:
    """True when no message of the job waits to be sent any more."""
    return not session.execute(select(_QUEUED_LEFT), {"job_id": job.id}).scalar()


def complete(session: Session, job, now: datetime | None = None) -> list[dict]:
    now = now or datetime.now(UTC)
    session.execute(update(mass_job).where(mass_job.c.id == job.id)
                    .values(status=COMPLETED, completed_at=now))
    return deliveries.progress(session, job.id, job.channels)


def active_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(mass_job)
                           .where(mass_job.c.status != COMPLETED)).scalar_one()
