"""RPC entrypoints of the member register (a mixin of RegistryService).

Every method re-checks who may keep or read the register (``access.py``: the society's
representatives, the offices whose grant reaches it, the platform). Writes a
client may retry (add, update, cease) honour its Idempotency-Key; each change leaves an
audit entry and an event in the same commit. Reads page in membership-number order with
an opaque cursor, at most MAX_PAGE members per answer.
"""

from __future__ import annotations

import logging

from nameko.timer import timer

from services.common.contracts.registry_members import (
    ActiveMembershipNumbersV1,
    AddMemberImportRowsV1,
    AddMemberV1,
    BeginMemberImportV1,
    CeaseMemberV1,
    FinishMemberImportV1,
    GetMemberV1,
    ListMemberContactsV1,
    ListMembersV1,
    MemberAdmittedV1,
    MemberCeasedV1,
    MembersImportedV1,
    MemberUpdatedV1,
    SearchMembersV1,
    UpdateMemberV1,
)
from services.common.errors import NotFound
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry.members import access, metrics, queries, register
from services.registry.members import import_jobs as jobs
from services.registry.members.import_jobs import job_wire
from services.registry.societies import register as societies

log = logging.getLogger(__name__)

STALE_IMPORT_CHECK_SECONDS = 3600


class MemberEntrypoints:
    # -- changes ---------------------------------------------------------------------

    @rpc
    def add_member(self, payload):
        """Admit a member; answers MemberV1."""
        command = parse(AddMemberV1, payload)
        with self.db.unit_of_work() as uow:
            access.ensure_register(uow.session, uow.ctx, command.society_id)
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            member = register.admit(uow.session, command)
            uow.audit("member_admitted", "member", member["member_id"],
                      {"society_id": command.society_id,
                       "membership_number": member["membership_number"],
                       "category": member["category"],
                       "admission_date": member["admission_date"]})
            uow.emit(MemberAdmittedV1(
                society_id=command.society_id, member_id=member["member_id"],
                membership_number=member["membership_number"], name=member["name"],
                category=member["category"], admission_date=command.admission_date))
            metrics.members_changed.labels("admitted").inc()
            return uow.respond(member)

    @rpc
    def update_member(self, payload):
        """Change a member's details from a day on; answers MemberV1."""
        command = parse(UpdateMemberV1, payload)
        with self.db.unit_of_work() as uow:
            access.ensure_register(uow.session, uow.ctx, command.society_id)
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            member, changes = register.change(uow.session, command)
            if changes:
                uow.audit("member_updated", "member", command.member_id,
                          {"society_id": command.society_id,
                           "effective_date": member["valid_from"], "fields": changes})
                uow.emit(MemberUpdatedV1(
                    society_id=command.society_id, member_id=command.member_id,
                    membership_number=member["membership_number"],
                    effective_date=member["valid_from"], changed=sorted(changes)))
                metrics.members_changed.labels("updated").inc()
            return uow.respond(member)

    @rpc
    def cease_member(self, payload):
        """End a membership from a date (the member stays in the register); MemberV1."""
        command = parse(CeaseMemberV1, payload)
        with self.db.unit_of_work() as uow:
            access.ensure_register(uow.session, uow.ctx, command.society_id)
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            member = register.cease(uow.session, command)
            uow.audit("member_ceased", "member", command.member_id,
                      {"society_id": command.society_id,
                       "cessation_date": member["cessation_date"],
                       "reason": command.reason})
            uow.emit(MemberCeasedV1(
                society_id=command.society_id, member_id=command.member_id,
                membership_number=member["membership_number"],
                cessation_date=command.cessation_date, reason=command.reason))
            metrics.members_changed.labels("ceased").inc()
            return uow.respond(member)

    # -- reads -----------------------------------------------------------------------

    @rpc
    def get_member(self, payload):
        query = parse(GetMemberV1, payload)
        with self.db.read() as session:
            access.ensure_register(session, self.caller, query.society_id)
            found = queries.current_member(session, query.society_id, query.member_id)
        if found is None:
            raise NotFound("No such member.", {"member_id": query.member_id})
        return found

    @rpc
    def list_members(self, payload):
        """One page of the register now or as on a date (MemberPageV1)."""
        query = parse(ListMembersV1, payload)
        with self.db.read() as session:
            access.ensure_register(session, self.caller, query.society_id)
            return queries.member_page(session, query)

    @rpc
    def search_members(self, payload):
        query = parse(SearchMembersV1, payload)
        with self.db.read() as session:
            access.ensure_register(session, self.caller, query.society_id)
            return queries.search_page(session, query)

    @rpc
    def list_member_contacts(self, payload):
        """One page of members' contacts for mass communication (MemberContactPageV1)."""
        query = parse(ListMemberContactsV1, payload)
        with self.db.read() as session:
            access.ensure_register(session, self.caller, query.society_id)
            return queries.contact_page(session, query)

    @rpc
    def active_membership_numbers(self, payload):
        """Which of the given numbers are active members now: for another service
        checking a list it was given (an inquiry's supporting voters), whoever its
        caller. It reveals no member's details and no HTTP route reaches it; an unknown
        society answers 404."""
        query = parse(ActiveMembershipNumbersV1, payload)
        with self.db.read() as session:
            societies.society_row(session, query.society_id)
            return {"society_id": query.society_id,
                    "active": queries.active_numbers(session, query.society_id,
                                                     query.membership_numbers)}

    # -- chunked CSV import ------------------------------------------------------------

    @rpc
    def begin_member_import(self, payload):
        command = parse(BeginMemberImportV1, payload)
        with self.db.unit_of_work() as uow:
            access.ensure_register(uow.session, uow.ctx, command.society_id)
            job = jobs.begin(uow.session, command.society_id, uow.ctx)
            return job_wire(job)

    @rpc
    def add_member_import_rows(self, payload):
        command = parse(AddMemberImportRowsV1, payload)
        with self.db.unit_of_work() as uow:
            access.ensure_register(uow.session, uow.ctx, command.society_id)
            return jobs.add_rows(uow.session, command)

    @rpc
    def finish_member_import(self, payload):
        """Apply every good row in one transaction, or nothing (MemberImportJobV1)."""
        command = parse(FinishMemberImportV1, payload)
        with self.db.unit_of_work() as uow:
            access.ensure_register(uow.session, uow.ctx, command.society_id)
            answer, counts = jobs.finish(uow.session, command)
            uow.audit(f"member_import_{answer['status']}", "member_import_job",
                      command.job_id,
                      {"society_id": command.society_id, "imported": answer["imported"],
                       "rows_received": answer["rows_received"],
                       "bad_row_count": answer["bad_row_count"],
                       "skip_bad_rows": command.skip_bad_rows})
            for society_id, count in counts.items():
                uow.emit(MembersImportedV1(society_id=society_id, job_id=command.job_id,
                                           count=count))
            metrics.members_changed.labels("imported").inc(answer["imported"])
            return answer

    @timer(interval=STALE_IMPORT_CHECK_SECONDS)
    def expire_uploads(self):
        """Drop the staged rows of uploads that never finished (a client gone away).

        The name is short on purpose: a timer's call id (``registry.<method>.<uuid>``)
        is its request id, and the audit log keeps at most 64 characters of it."""
        with self.db.unit_of_work() as uow:
            stale = jobs.abandon_stale(uow.session)
            for job_id in stale:
                uow.audit("member_import_abandoned", "member_import_job", job_id, {})
        if stale:
            log.info("abandoned stale member imports", extra={"jobs": len(stale)})
