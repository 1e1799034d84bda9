"""RPC entrypoints of the voters part of the workflow (a mixin of ElectionsService):
the draw of the voter list from the register (a job the timer runs as the platform),
the provisional and final lists, objections and their scrutiny, and reading the list."""

from __future__ import annotations

import logging

import eventlet
from nameko.timer import timer

from services.common.contracts import elections_voters as contracts
from services.common.errors import Conflict, NotFound, PlatformError
from services.common.rpc import rpc
from services.common.validation import parse
from services.elections import clock, scopes
from services.elections.orders import orders
from services.elections.voters import booths, draw, lists, objections

log = logging.getLogger(__name__)

REGISTRY_TIMEOUT_SECONDS = 30
# A timer tick draws pages for at most this long.
DRAW_BUDGET_SECONDS = 5.0


def _status(session, row) -> dict:
    found = draw.draw_row(session, row.id)
    provisional = lists.published(session, row.id, "provisional")
    final = lists.published(session, row.id, "final")
    return contracts.VoterListStatusV1(
        election_id=row.id, status=found.status if found else "not_drawn",
        voters_as_on=row.voters_as_on, drawn=found.drawn if found else 0,
        **draw.counts(session, row.id),
        error=found.error if found else None,
        requested_by=found.requested_by if found else None,
        started_at=found.started_at if found else None,
        finished_at=found.finished_at if found else None,
        provisional_published_at=provisional.published_at if provisional else None,
        final_published_at=final.published_at if final else None).wire()


class VoterEntrypoints:
    # -- the draw ---------------------------------------------------------------------
    @rpc
    def draw_voter_list(self, payload):
        """The RO or an ARO asks for the list to be drawn from the register as on
        ``voters_as_on``; the timer draws it. Once per election."""
        command = parse(contracts.DrawVoterListV1, payload)

        def apply(uow, now):
            row = orders.election_row(uow.session, command.election_id)
            scopes.ensure_officer(uow.ctx, row, "draw the voter list")
            orders.ensure_stage(uow.session, row, "provisional_list", now)
            draw.start(uow.session, uow.ctx, row, now)
            return _status(uow.session, row), [], (
                "voter_list_draw_requested", "election", row.id,
                {"voters_as_on": row.voters_as_on.isoformat()})

        return self._write(payload, apply)

    @timer(interval=0.5)
    def run_voter_list_draws(self):
        """Draw pages of the register for the lists being drawn, as the platform."""
        deadline = eventlet.hubs.get_hub().clock() + DRAW_BUDGET_SECONDS
        while eventlet.hubs.get_hub().clock() < deadline and self._draw_page():
            pass

    def _draw_page(self) -> bool:
        # The registry is asked outside any transaction (no lock held across the call);
        # the page is then written only if no one else wrote it meanwhile.
        with self.db.read() as session:
            job = draw.next_job(session, lock=False)
        if job is None:
            return False
        try:
            with eventlet.Timeout(REGISTRY_TIMEOUT_SECONDS):
                page = self.registry.list_members(payload=draw.registry_request(job))
            refused = None
        except PlatformError as exc:
            # The registry refuses the request itself: asking again cannot help.
            page, refused = None, exc
        except eventlet.Timeout:
            log.warning("registry did not answer a voter list page in %ss (election %s); "
                        "the next tick asks again", REGISTRY_TIMEOUT_SECONDS,
                        job.election_id)
            return False
        with self.db.unit_of_work() as uow:
            current = draw.claim(uow.session, job)
            if current is None:        # another worker wrote this page: carry on
                return True
            now = clock.now(uow.session)
            if refused is not None:
                draw.fail(uow.session, current, refused.message, now)
                uow.audit("voter_list_draw_failed", "election", current.election_id,
                          {"error": refused.to_dict()})
                return True
            added = draw.add_page(uow.session, current, page, now)
            if not page.get("next"):
                uow.audit("voter_list_drawn", "election", current.election_id,
                          {"voters": current.drawn + added,
                           "voters_as_on": current.voters_as_on.isoformat()})
        return True

    @rpc
    def voter_list_status(self, payload):
        ref = parse(contracts.DrawVoterListV1, payload)
        with self.db.read() as session:
            row = orders.visible_election(session, self.caller, ref.election_id)
            return _status(session, row)

    # -- publication --------------------------------------------------------------------
    @rpc
    def publish_voter_list(self, payload):
        """The RO publishes the provisional list (once drawn) or the final list (once
        every objection is decided), each in its stage's window, once."""
        command = parse(contracts.PublishVoterListV1, payload)
        stage = lists.STAGES[command.kind]

        def apply(uow, now):
            session = uow.session
            row = orders.election_row(session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, f"publish the {command.kind} list of voters")
            orders.ensure_stage(session, row, stage, now)
            draw.ensure_drawn(session, row.id)
            if command.kind == "final":
                if lists.published(session, row.id, "provisional") is None:
                    raise Conflict("The provisional list was never published; the final "
                                   "list follows it.", {"election_id": row.id})
                waiting = objections.pending(session, row.id)
                if waiting:
                    raise Conflict(f"{waiting} objection(s) to the provisional list are "
                                   "still pending; every objection must be decided before "
                                   "the final list is published.", {"pending": waiting})
            entries = draw.counts(session, row.id)["on_list"]
            event = orders.publish_stage(session, row, stage, lists.KINDS[command.kind],
                                         entries, list(command.document_ids),
                                         uow.ctx.actor_id, now)
            answer = contracts.VoterListPublishedV1(
                election_id=row.id, kind=lists.KINDS[command.kind], stage=stage,
                entries=entries, document_ids=list(command.document_ids),
                published_at=now).wire()
            # Documents prints the list as the election's PDF, reading it page by page.
            printed = contracts.ListPublishedV1(
                election_id=row.id, number=row.number, society_id=row.society_id,
                society_name=row.society_name, registration_number=row.registration_number,
                kind=command.kind, entries=entries, voters_as_on=row.voters_as_on,
                published_at=now)
            return answer, [event, printed], (f"{command.kind}_voter_list_published", "election",
                                     row.id, {"entries": entries,
                                              "document_ids": list(command.document_ids)})

        return self._write(payload, apply)

    # -- booths -------------------------------------------------------------------------
    @rpc
    def assign_voter_booths(self, payload):
        """The RO assigns every voter on the list to a booth of the order, by the rule
        the RO states (serial order, or the RO's file); all or nothing, audited."""
        command = parse(contracts.AssignBoothsV1, payload)

        def apply(uow, now):
            session = uow.session
            row = orders.election_row(session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "assign voters to booths")
            booths.ensure_open(session, row, orders.windows(session, row.id), now)
            draw.ensure_drawn(session, row.id)
            placed, changes, from_file = booths.plan(session, row.id, command)
            booths.apply(session, row.id, changes)
            rule = booths.rule_of(command)
            booths.record(session, row.id, rule, len(placed), from_file, uow.ctx.actor_id,
                          now)
            answer = booths.status(session, row.id)
            per_booth = {str(b["number"]): b["voters_assigned"] for b in answer["booths"]}
            return answer, [], ("voters_assigned_to_booths", "election", row.id, {
                "rule": rule, "assigned": len(placed), "from_file": from_file,
                "changed": len(changes), "booths": per_booth})

        return self._write(payload, apply)

    @rpc
    def voter_booths(self, payload):
        """The assignment as it stands: the rule, each booth's voters against the
        order's, the voters on the list without a booth."""
        query = parse(contracts.BoothAssignmentQueryV1, payload)
        with self.db.read() as session:
            orders.visible_election(session, self.caller, query.election_id)
            return booths.status(session, query.election_id)

    # -- objections ---------------------------------------------------------------------
    @rpc
    def file_objection(self, payload):
        command = parse(contracts.FileObjectionV1, payload)

        def apply(uow, now):
            session = uow.session
            row = orders.election_row(session, command.election_id)
            objections.ensure_objector(uow.ctx, row)
            found = orders.windows(session, row.id)
            objections.ensure_not_frozen(found, command.kind, now)
            orders.ensure_stage(session, row, "objections", now)
            objection_id = objections.file(session, uow.ctx, row, command, now)
            answer = objections.objection_dict(
                objections.objection_row(session, row.id, objection_id))
            return answer, [], ("voter_objection_filed", "election", row.id, {
                "objection_id": objection_id, "kind": command.kind,
                "membership_number": command.membership_number})

        return self._write(payload, apply)

    @rpc
    def decide_objection(self, payload):
        command = parse(contracts.DecideObjectionV1, payload)

        def apply(uow, now):
            session = uow.session
            row = orders.election_row(session, command.election_id)
            scopes.ensure_ro(uow.ctx, row, "decide objections to the voter list")
            found = orders.ensure_stage(session, row, "objection_scrutiny", now)
            objection = objections.objection_row(session, row.id, command.objection_id)
            changed = objections.decide(session, uow.ctx, row, objection, command, found,
                                        now)
            answer = objections.objection_dict(
                objections.objection_row(session, row.id, objection.id))
            return answer, [], ("voter_objection_decided", "election", row.id, {
                "objection_id": objection.id, "kind": objection.kind,
                "membership_number": objection.membership_number,
                "decision": command.decision, "changed": changed})

        return self._write(payload, apply)

    @rpc
    def list_objections(self, payload):
        query = parse(contracts.ObjectionQueryV1, payload)
        with self.db.read() as session:
            orders.visible_election(session, self.caller, query.election_id)
            return contracts.ObjectionPageV1.model_validate(
                objections.listing(session, query)).wire()

    # -- reading ------------------------------------------------------------------------
    @rpc
    def list_voters(self, payload):
        """The list as it stands, for the election's officers, the CEA and the
        society's representative."""
        query = parse(contracts.VoterQueryV1, payload)
        with self.db.read() as session:
            orders.visible_election(session, self.caller, query.election_id)
            return contracts.VoterPageV1.model_validate(lists.search(
                session, query.election_id, category=query.category, q=query.q,
                include_struck_off=query.include_struck_off, limit=query.limit,
                offset=query.offset)).wire()

    @rpc
    def voter_list_page(self, payload):
        """A published list, page by page in serial order: public (the list is posted
        on the society's website and notice board, seed 003 paras 12 and 17)."""
        query = parse(contracts.VoterListPageQueryV1, payload)
        with self.db.read() as session:
            row = orders.election_row(session, query.election_id)
            found = lists.published(session, row.id, query.kind)
            if found is None:
                raise NotFound(f"The {query.kind} list of voters has not been published.",
                               {"election_id": row.id, "kind": query.kind})
            items, nxt = lists.page(session, row.id, query.kind, query.after, query.limit)
            return contracts.VoterListPageV1(
                election_id=row.id, number=row.number, society_name=row.society_name,
                kind=query.kind, published_at=found.published_at, entries=found.entries,
                items=items, next=nxt).wire()
