"""Entrypoints of the notify service: mailboxes, templates, mass communication, delivery
records, one-time passwords, the event rules, and the timer that draws mass jobs' members.

Entrypoints parse the contract, check scope, call the domain modules and commit once;
the senders (dispatcher.py) do the sending outside any request.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import eventlet
from nameko.rpc import RpcProxy
from nameko.timer import timer
from sqlalchemy import func, insert, select

from services.common.call_context import SYSTEM_ACTOR
from services.common.consumer import event_handler
from services.common.contracts import notify as contracts
from services.common.contracts.notify import MassMessageCompletedV1
from services.common.database import Database
from services.common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PlatformError,
    RateLimited,
)
from services.common.rpc import rpc
from services.common.service import PlatformService
from services.common.validation import parse
from services.notify import deliveries, mailbox, mass, models, rules, templates
from services.notify.channels import SENT, TRANSIENT, Message
from services.notify.contacts import BadAddress, mask, normalise
from services.notify.dispatcher import Dispatcher, email_sender, sms_sender
from services.notify.metrics import notify_metrics
from services.notify.outgoing import apply_notice
from services.notify.settings import notify_settings

log = logging.getLogger(__name__)

REGISTRY_TIMEOUT_SECONDS = 30
# A timer tick draws pages for at most this long, so completion checks keep running.
MATERIALISE_BUDGET_SECONDS = 5.0
OTP_MINUTES = 5
_ANONYMOUS = ("anonymous",)


def _utc(value):
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _delivery_wire(row) -> dict:
    destination = row.destination
    if row.channel in ("sms", "email"):
        destination = mask(destination)
    return contracts.DeliveryV1(
        id=row.id, key=row.key, origin=row.origin, origin_id=row.origin_id,
        job_id=row.job_id, recipient_id=row.recipient_id, channel=row.channel,
        destination=destination, language=row.language, status=row.status,
        attempts=row.attempts, provider_id=row.provider_id, error=row.error,
        created_at=_utc(row.created_at), sent_at=_utc(row.sent_at),
        next_attempt_at=_utc(row.next_attempt_at) if row.status == "queued" else None,
    ).wire()


class NotifyService(PlatformService):
    name = "notify"
    db = Database(models.platform)
    dispatcher = Dispatcher()
    registry = RpcProxy("registry")

    @classmethod
    def preflight(cls) -> None:
        notify_settings()  # its validators refuse production defaults

    # -- mailboxes ----------------------------------------------------------------------
    def _mailbox(self, ref: contracts.MailboxRef) -> tuple[str, str]:
        """The (kind, id) of the mailbox the caller may open."""
        ctx = self.caller
        if ref.kind == "me":
            if ctx.actor_id in (SYSTEM_ACTOR, *_ANONYMOUS) or ctx.actor_role in _ANONYMOUS:
                raise Forbidden("Only a signed-in user has a mailbox of their own.")
            return "user", ctx.actor_id
        if not ref.id:
            raise InvalidInput("Which mailbox?", fields={"mailbox.id": "required"})
        ctx.ensure_scope(ref.kind, ref.id)
        return ref.kind, ref.id

    @rpc
    def list_mailbox(self, payload):
        """A page of a mailbox, newest first, with filters and search."""
        query = parse(contracts.ListMailboxV1, payload)
        kind, box_id = self._mailbox(query.mailbox)
        with self.db.read() as session:
            page = mailbox.list_page(session, mailbox_kind=kind, mailbox_id=box_id,
                                     state=query.state, archived=query.archived,
                                     kind=query.kind, q=query.q, limit=query.limit,
                                     cursor=query.cursor)
        return contracts.MailboxPageV1.model_validate(page).wire()

    @rpc
    def update_mailbox_message(self, payload):
        """Mark a message read or unread, archived or not."""
        command = parse(contracts.UpdateMailboxMessageV1, payload)
        if command.read is None and command.archived is None:
            raise InvalidInput("Nothing to change.", fields={"read": "give read or archived",
                                                             "archived": "give read or "
                                                                         "archived"})
        kind, box_id = self._mailbox(command.mailbox)
        with self.db.unit_of_work() as uow:
            message, changes = mailbox.update_message(
                uow.session, mailbox_kind=kind, mailbox_id=box_id,
                message_id=command.message_id, read=command.read, archived=command.archived)
            if changes:
                uow.audit("mailbox_message_updated", "mailbox_message", command.message_id,
                          changes)
        return contracts.MailboxMessageV1.model_validate(message).wire()

    # -- templates ----------------------------------------------------------------------
    @rpc
    def publish_template(self, payload):
        """A new version of a template for the nation or one jurisdiction."""
        command = parse(contracts.PublishTemplateV1, payload)
        templates.check_template(subject=command.subject, body=command.body,
                                 sms=command.sms, variables=command.variables,
                                 fixed=templates.BUILTIN_VARIABLES.get(command.key))
        T = models.message_template
        with self.db.unit_of_work() as uow:
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            latest = uow.session.execute(select(func.max(T.c.version)).where(
                T.c.key == command.key, T.c.jurisdiction == command.jurisdiction,
                T.c.language == command.language)).scalar()
            version = (latest or 0) + 1
            uow.session.execute(insert(T).values(
                key=command.key, jurisdiction=command.jurisdiction,
                language=command.language, version=version, subject=command.subject,
                body=command.body, sms=command.sms, variables=sorted(set(command.variables)),
                created_by=uow.ctx.actor_id, created_at=datetime.now(UTC)))
            uow.audit("template_published", "message_template",
                      f"{command.key}/{command.jurisdiction}/{command.language}/{version}",
                      {"variables": sorted(set(command.variables))})
            answer = contracts.TemplateV1(
                key=command.key, jurisdiction=command.jurisdiction,
                language=command.language, version=version, subject=command.subject,
                body=command.body, sms=command.sms,
                variables=sorted(set(command.variables))).wire()
            return uow.respond(answer)

    @rpc
    def list_templates(self, payload):
        """Every version (built-in version 0 included), by key, jurisdiction, language."""
        query = parse(contracts.ListTemplatesV1, payload)
        T = models.message_template
        statement = select(T)
        if query.key:
            statement = statement.where(T.c.key == query.key)
        if query.language:
            statement = statement.where(T.c.language == query.language)
        if query.jurisdiction:
            statement = statement.where(T.c.jurisdiction == query.jurisdiction)
        with self.db.read() as session:
            stored = [templates._from_row(row) for row in session.execute(statement)]
        found = [t for t in templates.BUILTIN
                 if (not query.key or t.key == query.key)
                 and (not query.language or t.language == query.language)
                 and (not query.jurisdiction or t.jurisdiction == query.jurisdiction)]
        found.extend(stored)
        found.sort(key=lambda t: (t.key, t.jurisdiction, t.language, t.version))
        page = found[query.offset:query.offset + query.limit]
        following = query.offset + query.limit
        return contracts.TemplatePageV1(
            items=[t.wire() for t in page],
            next_offset=following if following < len(found) else None).wire()

    # -- mass communication -------------------------------------------------------------
    @rpc
    def create_mass_message(self, payload):
        """Accept a message to a society's members as a job; answers at once."""
        command = parse(contracts.CreateMassMessageV1, payload)
        self.caller.ensure_scope("society", command.society_id)
        with self.db.unit_of_work() as uow:
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            job = mass.create(uow.session, command, actor_id=uow.ctx.actor_id)
            uow.audit("mass_message_created", "mass_job", job["id"],
                      {"society_id": job["society_id"], "template_key": job["template_key"],
                       "channels": job["channels"], "filters": job["filters"]})
            answer = mass.wire(uow.session, mass.get(uow.session, job["id"]))
            return uow.respond(answer)

    def _job(self, session, job_id: str):
        """The job, for its society's people and the staff of an office over the society."""
        job = mass.get(session, job_id)
        try:
            self.caller.ensure_scope("society", job.society_id)
        except Forbidden:
            if not self._office_over(job.society_id):
                raise NotFound("No such mass message.") from None
        return job

    def _office_over(self, society_id: str) -> bool:
        """Whether the caller's ``office:`` grant covers the society (its office or one
        above it, as the registry knows the chain)."""
        offices = {scope.partition(":")[2] for scope in (self.caller.actor_scope or "").split()
                   if scope.startswith("office:")}
        if not offices:
            return False
        chain = self.registry.society_offices(payload={"society_id": society_id})
        return bool(offices & set(chain["office_ids"]))

    @rpc
    def get_mass_message(self, payload):
        """A job and its progress per channel."""
        query = parse(contracts.MassMessageRefV1, payload)
        with self.db.read() as session:
            return mass.wire(session, self._job(session, query.job_id))

    @rpc
    def list_mass_messages(self, payload):
        query = parse(contracts.ListMassMessagesV1, payload)
        self.caller.ensure_scope("society", query.society_id)
        J = models.mass_job
        with self.db.read() as session:
            rows = session.execute(
                select(J).where(J.c.society_id == query.society_id)
                .order_by(J.c.created_at.desc(), J.c.id.desc())
                .offset(query.offset).limit(query.limit + 1)).all()
            items = [mass.wire(session, row) for row in rows[:query.limit]]
        following = query.offset + query.limit if len(rows) > query.limit else None
        return contracts.MassMessagePageV1(items=items, next_offset=following).wire()

    @rpc
    def list_deliveries(self, payload):
        """A job's delivery records, by id, filtered by status and channel."""
        query = parse(contracts.ListDeliveriesV1, payload)
        D = models.delivery
        with self.db.read() as session:
            self._job(session, query.job_id)
            statement = select(D).where(D.c.job_id == query.job_id)
            if query.status:
                statement = statement.where(D.c.status == query.status)
            if query.channel:
                statement = statement.where(D.c.channel == query.channel)
            if query.after:
                statement = statement.where(D.c.id > query.after)
            rows = session.execute(statement.order_by(D.c.id).limit(query.limit + 1)).all()
        more = len(rows) > query.limit
        rows = rows[:query.limit]
        return contracts.DeliveryPageV1(items=[_delivery_wire(r) for r in rows],
                                        next_after=rows[-1].id if more else None).wire()

    @rpc
    def get_delivery(self, payload):
        """One delivery record: a job's for its society, any other for unscoped staff."""
        query = parse(contracts.DeliveryRefV1, payload)
        D = models.delivery
        with self.db.read() as session:
            row = session.execute(select(D).where(D.c.id == query.delivery_id)).one_or_none()
            if row is None:
                raise NotFound("No such delivery.")
            try:
                if row.job_id:
                    self._job(session, row.job_id)
                else:
                    self.caller.ensure_scope("delivery", row.id)
            except (Forbidden, NotFound):
                raise NotFound("No such delivery.") from None
        return _delivery_wire(row)

    # -- one-time passwords -------------------------------------------------------------
    @rpc(sensitive_arguments=("payload.code",))
    def send_otp(self, payload):
        """Send a sign-in code at once. The code is never stored or logged: the delivery
        record keeps the masked address and no text."""
        command = parse(contracts.SendOtpV1, payload)
        try:
            destination = normalise(command.channel, command.destination)
        except BadAddress as exc:
            raise InvalidInput("Not a usable address.",
                               fields={"destination": str(exc)}) from None
        with self.db.read() as session:
            book = templates.TemplateBook(session, "otp")
        text = templates.render(book.for_language(command.language),
                                {"code": command.code, "minutes": OTP_MINUTES,
                                 "recipient_name": ""})
        settings = notify_settings()
        reference = str(uuid.uuid4())
        key = deliveries.key("otp", reference, mask(destination), command.channel)
        message = Message(key, destination, text.subject,
                          text.sms if command.channel == "sms" else text.body,
                          text.language)
        sender = (sms_sender if command.channel == "sms" else email_sender)(settings)
        try:
            result = sender.send([message])[0]
        finally:
            sender.close()
        status = deliveries.SENT if result.kind == SENT else deliveries.FAILED
        with self.db.unit_of_work() as uow:
            row = deliveries.row(key=key, origin="otp", origin_id=reference,
                                 recipient_id=mask(destination), channel=command.channel,
                                 destination=mask(destination), language=text.language,
                                 body="(one-time password withheld)", status=status,
                                 error=result.error, provider_id=result.provider_id)
            row["attempts"] = 1
            deliveries.queue(uow.session, [row])
            delivery_id = uow.session.execute(select(models.delivery.c.id).where(
                models.delivery.c.key == key)).scalar_one()
        notify_metrics().deliveries.labels(command.channel, status).inc()
        if result.kind == TRANSIENT:
            raise RateLimited("The provider cannot take the message now.",
                              {"retry_after_seconds": int(result.retry_after or 30)})
        if result.kind != SENT:
            raise Conflict("The provider refused the message.", {"reason": result.error})
        return contracts.OtpSentV1(delivery_id=delivery_id, channel=command.channel,
                                   destination=mask(destination), status=status).wire()

    # -- reacting to other services' facts ----------------------------------------------
    def _apply_rules(self, source: str, event_type: str, payload) -> None:
        notices = rules.notices_for(source, event_type, payload or {},
                                    notify_settings().portal_url)
        messages = rules.mass_messages_for(source, event_type, payload or {})
        queued = []
        with self.db.unit_of_work() as uow:
            if not uow.claim_event():
                return
            books: dict = {}
            for notice in notices:
                queued.extend(apply_notice(uow.session, notice, origin="event",
                                           origin_id=uow.ctx.event_id, books=books))
            for message in messages:
                job = mass.create(uow.session, message, actor_id=SYSTEM_ACTOR)
                uow.audit("mass_message_created", "mass_job", job["id"],
                          {"society_id": message.society_id,
                           "template_key": message.template_key, "origin": event_type})
        for row in queued:
            if row["channel"] == "mailbox" or row["status"] == deliveries.FAILED:
                notify_metrics().deliveries.labels(row["channel"], row["status"]).inc()
        self.dispatcher.wake()

    @event_handler("registry", "application_stage_changed")
    def on_application_stage_changed(self, payload):
        self._apply_rules("registry", "application_stage_changed", payload)

    @event_handler("registry", "application_due_soon")
    def on_application_due_soon(self, payload):
        self._apply_rules("registry", "application_due_soon", payload)

    @event_handler("registry", "application_overdue")
    def on_application_overdue(self, payload):
        self._apply_rules("registry", "application_overdue", payload)

    @event_handler("registry", "society_registered")
    def on_society_registered(self, payload):
        self._apply_rules("registry", "society_registered", payload)

    @event_handler("documents", "certificate_issued")
    def on_certificate_issued(self, payload):
        self._apply_rules("documents", "certificate_issued", payload)

    @event_handler("elections", "election_stage_published")
    def on_election_stage_published(self, payload):
        self._apply_rules("elections", "election_stage_published", payload)

    @event_handler("elections", "election_result_declared")
    def on_election_result_declared(self, payload):
        self._apply_rules("elections", "election_result_declared", payload)

    @event_handler("elections", "election_expense_inspection_notice")
    def on_election_expense_inspection_notice(self, payload):
        self._apply_rules("elections", "election_expense_inspection_notice", payload)

    @event_handler("filings", "filing_due_soon")
    def on_filing_due_soon(self, payload):
        self._apply_rules("filings", "filing_due_soon", payload)

    @event_handler("filings", "filing_overdue")
    def on_filing_overdue(self, payload):
        self._apply_rules("filings", "filing_overdue", payload)

    @event_handler("filings", "office_filing_due_soon")
    def on_office_filing_due_soon(self, payload):
        self._apply_rules("filings", "office_filing_due_soon", payload)

    @event_handler("filings", "office_filing_overdue")
    def on_office_filing_overdue(self, payload):
        self._apply_rules("filings", "office_filing_overdue", payload)

    @event_handler("filings", "filing_decided")
    def on_filing_decided(self, payload):
        self._apply_rules("filings", "filing_decided", payload)

    @event_handler("filings", "assistance_decided")
    def on_assistance_decided(self, payload):
        self._apply_rules("filings", "assistance_decided", payload)

    @event_handler("filings", "assistance_released")
    def on_assistance_released(self, payload):
        self._apply_rules("filings", "assistance_released", payload)

    @event_handler("filings", "assistance_utilised")
    def on_assistance_utilised(self, payload):
        self._apply_rules("filings", "assistance_utilised", payload)

    @event_handler("filings", "loan_repayment_recorded")
    def on_loan_repayment_recorded(self, payload):
        self._apply_rules("filings", "loan_repayment_recorded", payload)

    @event_handler("filings", "audit_reminder")
    def on_audit_reminder(self, payload):
        self._apply_rules("filings", "audit_reminder", payload)

    @event_handler("filings", "auditor_empanelled")
    def on_auditor_empanelled(self, payload):
        self._apply_rules("filings", "auditor_empanelled", payload)

    @event_handler("filings", "audit_allotted")
    def on_audit_allotted(self, payload):
        self._apply_rules("filings", "audit_allotted", payload)

    @event_handler("filings", "empanelment_step")
    def on_empanelment_step(self, payload):
        self._apply_rules("filings", "empanelment_step", payload)

    @event_handler("grievance", "case_opened")
    def on_case_opened(self, payload):
        self._apply_rules("grievance", "case_opened", payload)

    @event_handler("grievance", "case_transitioned")
    def on_case_transitioned(self, payload):
        self._apply_rules("grievance", "case_transitioned", payload)

    @event_handler("grievance", "case_escalated")
    def on_case_escalated(self, payload):
        self._apply_rules("grievance", "case_escalated", payload)

    @event_handler("grievance", "case_hearing_scheduled")
    def on_case_hearing_scheduled(self, payload):
        self._apply_rules("grievance", "case_hearing_scheduled", payload)

    @event_handler("grievance", "case_hearing_reminder")
    def on_case_hearing_reminder(self, payload):
        self._apply_rules("grievance", "case_hearing_reminder", payload)

    # -- mass jobs: drawing members, completing ----------------------------------------
    @timer(interval=0.5)
    def run_mass_jobs(self):
        """Draw members for accepted jobs page by page; complete jobs with nothing left
        to send; refresh the backlog gauges."""
        deadline = eventlet.hubs.get_hub().clock() + MATERIALISE_BUDGET_SECONDS
        while eventlet.hubs.get_hub().clock() < deadline and self._materialise_page():
            pass
        self._complete_jobs()
        metrics = notify_metrics()
        with self.db.read() as session:
            backlog = deliveries.backlog(session)
            metrics.mass_jobs_active.set(mass.active_count(session))
        for channel in deliveries.SENDING_CHANNELS:
            metrics.backlog.labels(channel).set(backlog.get(channel, 0))

    def _materialise_page(self) -> bool:
        settings = notify_settings()
        with self.db.unit_of_work() as uow:
            job = mass.next_job(uow.session, mass.MATERIALISING)
            if job is None:
                return False
            request = mass.registry_request(job, settings.mass_page_size)
            metrics = notify_metrics()
            try:
                with eventlet.Timeout(REGISTRY_TIMEOUT_SECONDS), \
                        metrics.phase("mass", "registry_page"):
                    page = self.registry.list_member_contacts(payload=request)
            except PlatformError as exc:
                # The registry refuses the request itself (no such society, bad filter):
                # asking again cannot help. The job ends with the members drawn so far.
                mass.complete(uow.session, job)
                uow.audit("mass_message_refused", "mass_job", job.id,
                          {"error": exc.to_dict()})
                return True
            with metrics.phase("mass", "queue_page"):
                count = mass.add_page(uow.session, job, page)
            if not page.get("next"):
                uow.audit("mass_message_materialised", "mass_job", job.id,
                          {"recipients": job.recipients + count})
        notify_metrics().mass_recipients.inc(count)
        self.dispatcher.wake()
        return True

    def _complete_jobs(self) -> None:
        J = models.mass_job
        with self.db.read() as session:
            sending = session.execute(select(J.c.id).where(J.c.status == mass.SENDING)).all()
        for (job_id,) in sending:
            with self.db.unit_of_work() as uow:
                job = mass.get(uow.session, job_id)
                if job.status != mass.SENDING or not mass.finished(uow.session, job):
                    continue
                progress = mass.complete(uow.session, job)
                uow.audit("mass_message_completed", "mass_job", job.id,
                          {"recipients": job.recipients, "progress": progress})
                uow.emit(MassMessageCompletedV1(
                    job_id=job.id, society_id=job.society_id, recipients=job.recipients,
                    progress=progress, at=datetime.now(UTC)))
