"""RPC entrypoints of appeals, court cases, hearings and orders (a mixin of
GrievanceService). Hearings and orders are actions of the case's kind: the engine
checks the role and the state as for any other action."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nameko.timer import timer

from services.common.contracts import grievance as contracts
from services.common.errors import Forbidden, InvalidInput
from services.common.india import INDIA
from services.common.rpc import rpc
from services.common.validation import parse
from services.grievance import engine, messages, routing, scopes
from services.grievance.cases import answers, store
from services.grievance.hearings import reminders, rules
from services.grievance.hearings import store as hearings
from services.grievance.kinds import published
from services.grievance.settings import grievance_settings

# Hearings reminded per transaction.
REMINDER_BATCH = 500


class HearingEntrypoints:
    @rpc
    def file_appeal(self, payload):
        """An appeal against an order, within 60 days of it, to the office above the one
        that made the order (the Central Registrar for its own orders)."""
        command = parse(contracts.FileAppealV1, payload)
        kind = self._latest_kind("appeal")
        engine.ensure_may_open(kind, self.caller.actor_role)
        rules.ensure_in_time(command.order_date, datetime.now(INDIA).date())
        if command.order_office_id is not None:
            chain = routing.office_chain(self.registry, command.order_office_id)
        elif command.society_id is not None:
            chain = self.registry.society_offices(
                payload={"society_id": command.society_id})["office_ids"]
        else:
            chain = [routing.NATIONAL_OFFICE]
        appellate = chain[1:] or chain

        def apply(uow, now):
            case_id = store.open_case(
                uow.session, uow.ctx, kind, now, society_id=command.society_id,
                office_id=appellate[0], office_ids=appellate, desk="appeals",
                category=None, subject=command.subject, description=command.grounds,
                against_type=None, against_name=command.respondent,
                complainant_type=None, language=command.language,
                reference=command.order_ref, order_date=command.order_date,
                parties={"appellant": uow.ctx.actor_id, "respondent": command.respondent,
                         "office": appellate[0]},
                document_ids=command.document_ids)
            return answers.opened(uow, kind, case_id, "appeal_filed")

        return self._write(payload, apply)

    @rpc
    def file_dispute(self, payload):
        """A dispute for arbitration, to the society's office; the office refers it to
        an arbitrator (``refer`` naming the assignee, who acts on the case grant)."""
        command = parse(contracts.FileDisputeV1, payload)
        kind = self._latest_kind("arbitration")
        engine.ensure_may_open(kind, self.caller.actor_role)
        self.registry.get_public_society(payload={"society_id": command.society_id})
        chain = self.registry.society_offices(
            payload={"society_id": command.society_id})["office_ids"]

        def apply(uow, now):
            case_id = store.open_case(
                uow.session, uow.ctx, kind, now, society_id=command.society_id,
                office_id=chain[0], office_ids=chain, desk="arbitration", category=None,
                subject=command.subject, description=command.claim, against_type=None,
                against_name=command.respondent, complainant_type=None,
                language=command.language,
                parties={"claimant": uow.ctx.actor_id, "respondent": command.respondent,
                         "office": chain[0]},
                document_ids=command.document_ids)
            return answers.opened(uow, kind, case_id, "dispute_filed")

        return self._write(payload, apply)

    @rpc
    def open_court_case(self, payload):
        """A court case the office is party to, by the court's number."""
        command = parse(contracts.OpenCourtCaseV1, payload)
        kind = self._latest_kind("court_case")
        engine.ensure_may_open(kind, self.caller.actor_role)
        reach = scopes.office_reach(self.caller)
        office_id = command.office_id or (reach[0] if reach else routing.NATIONAL_OFFICE)
        chain = routing.office_chain(self.registry, office_id)
        if reach is not None and not set(reach) & set(chain):
            raise Forbidden("This office is outside your grant.",
                            {"office_id": office_id, "your_scope": self.caller.actor_scope})

        def apply(uow, now):
            hearings.ensure_new_court_case(uow.session, command.court, command.number)
            case_id = store.open_case(
                uow.session, uow.ctx, kind, now, society_id=command.society_id,
                office_id=office_id, office_ids=chain, desk="legal_cell", category=None,
                subject=command.subject, description=command.description,
                against_type=None, against_name=None, complainant_type=None,
                language="en", reference=command.number, court=command.court,
                parties={"petitioners": list(command.petitioners),
                         "respondents": list(command.respondents), "office": office_id},
                document_ids=command.document_ids)
            return answers.opened(uow, kind, case_id, "court_case_recorded")

        return self._write(payload, apply)

    @rpc
    def schedule_hearing(self, payload):
        """A hearing's date, place and purpose (the kind's hearing action)."""
        command = parse(contracts.ScheduleHearingV1, payload)
        at = command.hearing_at if command.hearing_at.tzinfo else \
            command.hearing_at.replace(tzinfo=INDIA)
        if at <= datetime.now(UTC):
            raise InvalidInput("A hearing is fixed for a later moment.",
                               fields={"hearing_at": "in the past"})

        def apply(uow, now):
            row = store.case_row(uow.session, command.case_id)
            scopes.ensure_visible(uow.ctx, row)
            action = rules.action_for_hearing(row.kind)
            store.take(uow.session, uow.ctx, contracts.TakeActionV1(
                case_id=row.id, action=action,
                note=f"Hearing: {command.purpose}, {command.place}"), now)
            when = hearings.add_hearing(uow.session, row.id, command, uow.ctx.actor_id, now)
            row = store.case_row(uow.session, row.id)
            event = contracts.HearingScheduledV1(
                case_id=row.id, number=row.number, kind=row.kind, reference=row.reference,
                court=row.court, hearing_at=when, place=command.place,
                purpose=command.purpose, office_id=row.office_id, society_id=row.society_id,
                opened_by=row.opened_by, language=row.language)
            return self._full(uow.session, uow.ctx, row), [event], (
                "hearing_scheduled", "case", row.id,
                {"hearing_at": when.isoformat(), "place": command.place})

        return self._write(payload, apply)

    @timer(interval=grievance_settings().hearing_reminder_seconds)
    def hearing_reminder_timer(self):
        self._remind_hearings()

    @rpc
    def send_hearing_reminders(self, payload=None):
        """Send the reminders of hearings due within the period now (the platform's or an
        administrator's): how many went out."""
        if not (scopes.is_system(self.caller) or self.caller.actor_role == "administrator"):
            raise Forbidden("Only the platform sends the hearing reminders.")
        return {"reminded": self._remind_hearings()}

    def _remind_hearings(self) -> int:
        settings = grievance_settings()
        within = timedelta(hours=settings.hearing_reminder_hours)
        sent = 0
        while True:
            with self.db.unit_of_work() as uow:
                now = datetime.now(UTC)
                rows = reminders.due(uow.session, now, within, REMINDER_BATCH)
                events = reminders.mark(uow.session, rows, now)
                if events:
                    uow.audit("hearing_reminders_sent", "hearings", now.isoformat(),
                              {"cases": [e.case_id for e in events]})
                for event in events:
                    uow.emit(event)
                sent += len(events)
            if len(rows) < REMINDER_BATCH:
                return sent

    @rpc
    def record_order(self, payload):
        """An order on the case (a document); a final one decides or disposes of it."""
        command = parse(contracts.RecordOrderV1, payload)

        def apply(uow, now):
            row = store.case_row(uow.session, command.case_id)
            scopes.ensure_visible(uow.ctx, row)
            action = rules.action_for_order(row.kind, command.final)
            store.take(uow.session, uow.ctx, contracts.TakeActionV1(
                case_id=row.id, action=action, note=command.summary,
                document_ids=[command.document_id] if command.document_id else []), now)
            hearings.add_order(uow.session, row.id, command, uow.ctx.actor_id, now)
            row = store.case_row(uow.session, row.id)
            kind = published.kind_of(uow.session, row.kind, row.kind_version)
            en, hi = messages.message(kind, action, row.number)
            event = contracts.CaseTransitionedV1(
                case_id=row.id, number=row.number, kind=row.kind, action=action,
                from_state=row.state, to_state=row.state, office_id=row.office_id,
                opened_by=row.opened_by, language=row.language, message_en=en,
                message_hi=hi)
            return self._full(uow.session, uow.ctx, row), [event], (
                "order_recorded", "case", row.id,
                {"order_date": command.order_date.isoformat(), "final": command.final,
                 "document_id": command.document_id})

        return self._write(payload, apply)

    @rpc
    def public_case_status(self, payload):
        """Anyone: a court case's state, hearings and orders by its number."""
        ref = parse(contracts.CaseNumberRefV1, payload)
        with self.db.read() as session:
            return hearings.public_status(session, ref.number, datetime.now(UTC))

    def _full(self, session, ctx, row):
        answer = store.case_dict(session, ctx, row)
        answer["hearings"] = hearings.hearings_of(session, row.id)
        answer["orders"] = hearings.orders_of(session, row.id)
        return answer
