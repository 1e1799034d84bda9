"""RPC entrypoints of the counting part of the workflow (a mixin of ElectionsService):
booth results by double entry, the reconciliation queue, the count and ties, Forms
19M/19N (generate, submit, the CEA's decision) and the declarations."""

from __future__ import annotations

from services.common.contracts import elections_counting as contracts
from services.common.errors import Forbidden
from services.common.rpc import rpc
from services.common.validation import parse
from services.elections import clock, scopes
from services.elections.counting import approval, entry, forms, meeting
from services.elections.orders import orders

WINDOW = {"19M": "form_19m", "19N": "form_19n"}
BUILD = {"19M": forms.body_19m, "19N": forms.body_19n}


def _ensure_reader(ctx, row) -> None:
    scopes.ensure_visible(ctx, row)
    if not (scopes.is_cea(ctx) or scopes.runs(ctx, row.id)):
        raise Forbidden("The count and the forms are for the CEA and the election's "
                        "officers.", {"required_roles": [scopes.CEA, scopes.RO, scopes.ARO]})


def _event(row, cls, **fields):
    return cls(election_id=row.id, number=row.number, society_id=row.society_id,
               society_name=row.society_name, **fields)


class CountingEntrypoints:
    @rpc
    def enter_booth_result(self, payload):
        """One officer's entry of a booth (double entry by two assigned officers)."""
        command = parse(contracts.EnterBoothResultV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_officer(uow.ctx, row, "enter booth results")
            orders.ensure_stage(uow.session, row, "counting", now)
            found = entry.enter(uow.session, uow.ctx, row, command, now)
            return contracts.BoothEntryAnswerV1.model_validate(found).wire(), [], (
                "booth_result_entered", "election", row.id, found)

        return self._write(payload, apply)

    @rpc
    def reconciliation_queue(self, payload):
        ref = parse(contracts.CountRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            scopes.ensure_ro(self.caller, row, "read the reconciliation queue")
            return contracts.ReconciliationQueueV1(
                election_id=row.id, contest=ref.contest,
                items=entry.queue(session, row.id, ref.contest)).wire()

    @rpc
    def reconcile_booth(self, payload):
        command = parse(contracts.ReconcileBoothV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "reconcile booth results")
            orders.ensure_stage(uow.session, row, "counting", now)
            found = contracts.BoothResultV1.model_validate(
                entry.reconcile(uow.session, uow.ctx, row, command, now)).wire()
            return found, [], ("booth_result_reconciled", "election", row.id, found)

        return self._write(payload, apply)

    @rpc
    def count(self, payload):
        """Totals, winners by category, ties (409 while booths are pending)."""
        ref = parse(contracts.CountRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            _ensure_reader(self.caller, row)
            return contracts.CountV1.model_validate(
                entry.count(session, row.id, ref.contest)).wire()

    @rpc
    def resolve_tie(self, payload):
        """The RO's draw of lots for the last seat(s) of a tied category."""
        command = parse(contracts.ResolveTieV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "resolve a tie by draw of lots")
            found = contracts.TieDecisionV1.model_validate(
                entry.resolve_tie(uow.session, uow.ctx, row, command, now)).wire()
            return found, [], ("tie_resolved_by_draw", "election", row.id, found)

        return self._write(payload, apply)

    @rpc
    def record_ob_meeting(self, payload):
        """The RO records the office bearers' meeting: when, where, the elected directors
        present, who chaired it, the votes per contested post (and a draw at a tie)."""
        command = parse(contracts.RecordObMeetingV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "record the office bearers' meeting")
            found = contracts.ObMeetingV1.model_validate(
                meeting.record(uow.session, uow.ctx, row, command, now)).wire()
            return found, [], ("office_bearers_meeting_recorded", "election", row.id, {
                "meeting_at": found["meeting_at"], "venue": found["venue"],
                "chaired_by_ro": found["chaired_by_ro"], "chair_name": found["chair_name"],
                "directors_present": [d["membership_number"]
                                      for d in found["directors_present"]],
                "votes": {post: {c["nomination_id"]: c["votes"] for c in p["candidates"]}
                          for post, p in found["posts"].items() if not p["unopposed"]},
                "draws": {post: p["draw"]["winners"] for post, p in found["posts"].items()
                          if p["draw"]}})

        return self._write(payload, apply)

    @rpc
    def get_ob_meeting(self, payload):
        ref = parse(contracts.ObMeetingRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            _ensure_reader(self.caller, row)
            return contracts.ObMeetingV1.model_validate(
                meeting.meeting_dict(session, row)).wire()

    def _generate(self, payload, form: str):
        inputs = parse(contracts.FormInputsV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, inputs.election_id)
            scopes.ensure_ro(self.caller, row, f"generate Form {form}")
            orders.ensure_stage(session, row, WINDOW[form], clock.now(session))
            return contracts.FormBodyV1(election_id=row.id, form=form,
                                        body=BUILD[form](session, row, inputs)).wire()

    @rpc
    def generate_form_19m(self, payload):
        return self._generate(payload, "19M")

    @rpc
    def generate_form_19n(self, payload):
        return self._generate(payload, "19N")

    @rpc
    def submit_form(self, payload):
        """Build the form again from the records and the RO's inputs, and submit it."""
        command = parse(contracts.SubmitFormV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, f"submit Form {command.form}")
            orders.ensure_stage(uow.session, row, WINDOW[command.form], now)
            body = BUILD[command.form](uow.session, row, command)
            found = contracts.FormV1.model_validate(approval.submit(
                uow.session, uow.ctx, row, command.form, body, now)).wire()
            event = _event(row, contracts.FormSubmittedV1, form=command.form,
                           form_id=found["id"], form_version=found["version"],
                           submitted_at=found["submitted_at"], body=found["body"])
            return found, [event], ("form_submitted", "election", row.id,
                                    {"form": command.form, "form_id": found["id"],
                                     "version": found["version"]})

        return self._write(payload, apply)

    @rpc
    def decide_form(self, payload):
        """Section B: the CEA approves or rejects, with its reasons."""
        command = parse(contracts.DecideFormV1, payload)
        scopes.ensure_cea(self.caller, "approve or reject Forms 19M and 19N")

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            found = contracts.FormV1.model_validate(
                approval.decide(uow.session, uow.ctx, row, command, now)).wire()
            return found, [], ("form_decided", "election", row.id,
                               {"form_id": found["id"], "form": found["form"],
                                "decision": found["status"], "reason": command.reason})

        return self._write(payload, apply)

    @rpc
    def list_forms(self, payload):
        query = parse(contracts.FormQueryV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, query.election_id)
            _ensure_reader(self.caller, row)
            return contracts.FormListV1(
                items=approval.form_list(session, row.id, query.form)).wire()

    @rpc
    def get_form(self, payload):
        ref = parse(contracts.FormRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            _ensure_reader(self.caller, row)
            return contracts.FormV1.model_validate(approval.form_dict(
                approval.form_row(session, row.id, ref.form_id))).wire()

    def _declare(self, payload, form: str, stage: str):
        command = parse(contracts.DeclareV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "declare a result")
            orders.ensure_stage(uow.session, row, stage, now)
            found = contracts.DeclarationV1.model_validate(
                approval.declare(uow.session, uow.ctx, row, form, now)).wire()
            event = _event(row, contracts.ResultDeclaredV1, contest=found["contest"],
                           form_id=found["form_id"], elected=found["elected"],
                           declared_at=found["declared_at"])
            return found, [event], ("result_declared", "election", row.id,
                                    {"contest": found["contest"],
                                     "form_id": found["form_id"],
                                     "elected": len(found["elected"])})

        return self._write(payload, apply)

    @rpc
    def declare_result(self, payload):
        return self._declare(payload, "19M", "board_declaration")

    @rpc
    def declare_office_bearers(self, payload):
        return self._declare(payload, "19N", "ob_declaration")

    @rpc
    def list_declarations(self, payload):
        ref = parse(contracts.DeclareV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            _ensure_reader(self.caller, row)
            return contracts.DeclarationListV1(
                items=approval.declarations(session, row.id)).wire()
