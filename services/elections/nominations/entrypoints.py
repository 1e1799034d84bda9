"""RPC entrypoints of the nominations part of the workflow (a mixin of ElectionsService):
filing, the display of nominations received, scrutiny, the list of valid nominations,
withdrawal, the list of contesting candidates (board and office bearers), and the CEA's
disqualification orders."""

from __future__ import annotations

from sqlalchemy import func, select

from services.common.contracts import elections_nominations as contracts
from services.common.errors import Conflict, NotFound
from services.common.rpc import rpc
from services.common.validation import parse
from services.elections import scopes
from services.elections.nominations import (
    candidates,
    disqualifications,
    filing,
    printed,
    scrutiny,
)
from services.elections.orders import orders
from services.elections.tables import nomination

# Publication kinds by stage.
KINDS = {"nomination_display": "nominations_received",
         "valid_nominations": "valid_nominations",
         "contesting_list": "contesting_candidates",
         "ob_contesting_list": "ob_contesting_candidates"}


def _published(session, row, stage: str, entries: int, document_ids: list[str],
               actor_id: str, now) -> tuple[dict, list]:
    """The publication's answer and its events: the stage published (notify) and the
    list whole (documents prints it)."""
    event = orders.publish_stage(session, row, stage, KINDS[stage], entries, document_ids,
                                 actor_id, now)
    events: list = [event, printed.announcement(session, row, stage, now)]
    return {"election_id": row.id, "stage": stage, "kind": KINDS[stage],
            "entries": entries, "document_ids": document_ids, "published_at": now}, events


def _ensure_decided(session, row, contest: str) -> None:
    waiting = filing.pending(session, row.id, contest)
    if waiting:
        raise Conflict(f"{waiting} nomination(s) still await scrutiny; every nomination "
                       "must be decided first.",
                       {"pending": waiting, "contest": contest})


class NominationEntrypoints:
    @rpc
    def file_nomination(self, payload):
        """A nomination recorded by the RO or ARO, or filed by the society's
        representative, in the nominations window (office bearers: ob_nominations)."""
        command = parse(contracts.FileNominationV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            filing.ensure_filer(uow.ctx, row, "file nominations")
            orders.ensure_stage(uow.session, row, filing.FILING[command.contest], now)
            nomination_id = filing.file(uow.session, uow.ctx, row, command, now)
            found = filing.nomination_row(uow.session, row.id, nomination_id)
            return filing.nomination_dict(found), [], (
                "nomination_filed", "election", row.id,
                {"nomination_id": nomination_id, "contest": command.contest,
                 "category": command.category,
                 "membership_number": command.membership_number})

        return self._write(payload, apply)

    @rpc
    def get_nomination(self, payload):
        ref = parse(contracts.NominationRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            insider = scopes.is_cea(self.caller) or scopes.runs(self.caller, row.id)
            if not insider and filing.stage_done(session, row.id,
                                                 "nomination_display") is None:
                raise NotFound("No such nomination in this election.",
                               {"nomination_id": ref.nomination_id})
            found = filing.nomination_row(session, row.id, ref.nomination_id)
            return filing.nomination_dict(found, public=not insider)

    @rpc
    def list_nominations(self, payload):
        """Officers and the CEA always; anyone once displayed (the notice board)."""
        query = parse(contracts.NominationQueryV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, query.election_id)
            return contracts.NominationPageV1.model_validate(
                filing.list_for(session, self.caller, row, query)).wire()

    @rpc
    def publish_nominations(self, payload):
        """The RO displays the nominations received (stage nomination_display)."""
        command = parse(contracts.PublishV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "display the nominations received")
            orders.ensure_stage(uow.session, row, "nomination_display", now)
            received = uow.session.execute(select(func.count()).select_from(nomination).where(
                nomination.c.election_id == row.id,
                nomination.c.contest == "board")).scalar() or 0
            answer, events = _published(uow.session, row, "nomination_display", received,
                                       command.document_ids, uow.ctx.actor_id, now)
            answer = contracts.PublicationV1.model_validate(answer).wire()
            return answer, events, ("nominations_displayed", "election", row.id,
                                     {"entries": received})

        return self._write(payload, apply)

    @rpc
    def decide_nomination(self, payload):
        """The RO's scrutiny: accept, or reject with reasons; a disqualification the data
        proves forces rejection."""
        command = parse(contracts.DecideNominationV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "decide nominations")
            found = filing.nomination_row(uow.session, row.id, command.nomination_id)
            orders.ensure_stage(uow.session, row, filing.SCRUTINY[found.contest], now)
            proven = scrutiny.decide(uow.session, uow.ctx, row, found, command.decision,
                                     list(command.reasons), now)
            found = filing.nomination_row(uow.session, row.id, found.id)
            answer = contracts.DecisionV1.model_validate({
                "nomination": filing.nomination_dict(found),
                "disqualifications": proven}).wire()
            return answer, [], (f"nomination_{found.status}", "election", row.id,
                                {"nomination_id": found.id, "status": found.status,
                                 "reasons": [r["reason"] for r in found.reasons or []]})

        return self._write(payload, apply)

    @rpc
    def withdraw_nomination(self, payload):
        """An accepted nomination withdrawn in the withdrawal window."""
        command = parse(contracts.WithdrawNominationV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            filing.ensure_filer(uow.ctx, row, "withdraw nominations")
            found = filing.nomination_row(uow.session, row.id, command.nomination_id)
            orders.ensure_stage(uow.session, row, filing.WITHDRAWAL[found.contest], now)
            scrutiny.withdraw(uow.session, found, now)
            found = filing.nomination_row(uow.session, row.id, found.id)
            return filing.nomination_dict(found), [], (
                "nomination_withdrawn", "election", row.id,
                {"nomination_id": found.id, "membership_number": found.membership_number})

        return self._write(payload, apply)

    @rpc
    def publish_valid_nominations(self, payload):
        """The RO publishes the valid nominations (stage valid_nominations), once every
        board nomination is decided."""
        command = parse(contracts.PublishV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "publish the list of valid nominations")
            orders.ensure_stage(uow.session, row, "valid_nominations", now)
            _ensure_decided(uow.session, row, "board")
            summary = candidates.contest_summary(uow.session, row.id, "board")
            valid = sum(s["contesting"] for s in summary.values())
            answer, events = _published(uow.session, row, "valid_nominations", valid,
                                       command.document_ids, uow.ctx.actor_id, now)
            answer = contracts.PublicationV1.model_validate(
                {**answer, "summary": summary}).wire()
            return answer, events, ("valid_nominations_published", "election", row.id,
                                     {"entries": valid})

        return self._write(payload, apply)

    @rpc
    def publish_contesting_list(self, payload):
        """The RO publishes the final list of contesting candidates (board:
        contesting_list; office bearers: ob_contesting_list), with the categories
        elected unopposed and the seats left vacant."""
        command = parse(contracts.PublishV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "publish the list of contesting candidates")
            stage = filing.CONTESTING[command.contest]
            orders.ensure_stage(uow.session, row, stage, now)
            _ensure_decided(uow.session, row, command.contest)
            summary = candidates.contest_summary(uow.session, row.id, command.contest)
            standing = sum(s["contesting"] for s in summary.values())
            answer, events = _published(uow.session, row, stage, standing,
                                       command.document_ids, uow.ctx.actor_id, now)
            answer = contracts.PublicationV1.model_validate(
                {**answer, "summary": summary}).wire()
            return answer, events, ("contesting_list_published", "election", row.id, {
                "contest": command.contest, "entries": standing,
                "unopposed": sorted(c for c, s in summary.items() if s["unopposed"])})

        return self._write(payload, apply)

    @rpc
    def contesting_candidates(self, payload):
        """The contest's candidates by category with its summary: officers and the CEA
        always; anyone once the contesting list is published."""
        ref = parse(contracts.ContestRefV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, ref.election_id)
            stage = filing.CONTESTING[ref.contest]
            published = filing.stage_done(session, row.id, stage)
            insider = scopes.is_cea(self.caller) or scopes.runs(self.caller, row.id)
            if not insider and published is None:
                raise NotFound("The list of contesting candidates is not published yet.",
                               {"election_id": row.id, "stage": stage})
            found = candidates.contesting(session, row.id, ref.contest)
            if not insider:
                found = {c: [{**x, "mobile": None} for x in xs] for c, xs in found.items()}
            summary = candidates.contest_summary(session, row.id, ref.contest)
            if not insider:
                for s in summary.values():
                    s["elected_unopposed"] = [{**x, "mobile": None}
                                              for x in s["elected_unopposed"]]
            return contracts.ContestV1(
                election_id=row.id, contest=ref.contest, published_at=published,
                candidates=found, summary=summary).wire()

    @rpc
    def record_disqualification(self, payload):
        """The CEA's disqualification order (rule 19V and others): enforced by scrutiny
        in every later election while in force."""
        command = parse(contracts.RecordDisqualificationV1, payload)
        scopes.ensure_cea(self.caller, "record disqualifications")

        def apply(uow, now):
            found = disqualifications.record(uow.session, uow.ctx, command, now)
            return found, [], ("disqualification_recorded", "disqualification", found["id"],
                               {"rule": found["rule"], "order_ref": found["order_ref"],
                                "order_date": found["order_date"], "until": found["until"],
                                "source_election_id": found["source_election_id"]})

        return self._write(payload, apply)

    @rpc
    def list_disqualifications(self, payload):
        query = parse(contracts.DisqualificationQueryV1, payload or {})
        scopes.ensure_cea(self.caller, "read disqualification orders")
        with self.db.read() as session:
            return contracts.DisqualificationPageV1.model_validate(
                disqualifications.page(session, query)).wire()
