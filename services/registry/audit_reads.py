"""The registry's audit trail read by the people it concerns (a mixin of RegistryService):
a society's (the society, its members and its applications) for its representatives and
the offices that reach it, and an office's (what was done on the offices, societies,
applications and members under it) for that office's staff. Out of scope answers 404.
An application's own trail is ``application_audit`` (applications/entrypoints.py)."""

from __future__ import annotations

from pydantic import Field
from sqlalchemy import ColumnElement, Table, and_, or_, select

from services.common import audit
from services.common.contracts.platform import AuditFilterV1, AuditPageV1
from services.common.errors import NotFound
from services.common.rpc import rpc
from services.common.validation import parse
from services.registry import scopes
from services.registry.applications.tables import application
from services.registry.members.tables import member
from services.registry.offices import hierarchy as offices
from services.registry.societies import register as societies
from services.registry.societies.tables import society

# Who reads a society's trail: its own people and the registrar's office over it.
SOCIETY_TRAIL_ROLES = ("society_representative", *scopes.OFFICE_SIDE)


class SocietyAuditQuery(AuditFilterV1):
    society_id: str = Field(min_length=1, max_length=64)


class OfficeAuditQuery(AuditFilterV1):
    office_id: str = Field(min_length=1, max_length=64)


def _about(table: Table, entity_type: str, ids) -> ColumnElement[bool]:
    return and_(table.c.entity_type == entity_type, table.c.entity_id.in_(ids))


def society_entries(table: Table, society_id: str) -> ColumnElement[bool]:
    """Entries about the society, its members and its applications."""
    return or_(
        and_(table.c.entity_type == "society", table.c.entity_id == society_id),
        _about(table, "member", select(member.c.member_id)
               .where(member.c.society_id == society_id)),
        _about(table, "application", select(application.c.id)
               .where(application.c.society_id == society_id)))


def office_entries(table: Table, office_ids: list[str]) -> ColumnElement[bool]:
    """Entries about the offices, and the societies, applications and members under them."""
    under = select(society.c.id).where(society.c.office_id.in_(office_ids))
    return or_(
        _about(table, "registrar_office", office_ids),
        _about(table, "society", under),
        _about(table, "application", select(application.c.id)
               .where(application.c.office_id.in_(office_ids))),
        _about(table, "member", select(member.c.member_id)
               .where(member.c.society_id.in_(under))))


def _filters(query: AuditFilterV1) -> dict:
    return query.model_dump(include={"action", "since", "until", "limit", "offset"},
                            exclude_none=True)


class AuditReadEntrypoints:
    @rpc
    def society_audit(self, payload):
        """Who did what to a society, its members and its applications, newest first."""
        query = parse(SocietyAuditQuery, payload)
        ctx = self.db.ctx
        with self.db.read() as session:
            row = societies.society_row(session, query.society_id)
            scopes.ensure_society(session, ctx, row)
            if ctx.actor_role not in SOCIETY_TRAIL_ROLES and not scopes.is_system(ctx):
                raise NotFound("No such society.", {"society_id": row.id})
            table = self.db.tables.audit
            page = audit.read(session, table, where=society_entries(table, row.id),
                              **_filters(query))
        return AuditPageV1.model_validate(page).wire()

    @rpc
    def office_audit(self, payload):
        """What was done under an office (its own record, the offices below it, their
        societies, applications and members), newest first: for that office's staff."""
        query = parse(OfficeAuditQuery, payload)
        ctx = self.db.ctx
        with self.db.read() as session:
            offices.office_row(session, query.office_id)
            scopes.ensure_office(session, ctx, query.office_id)
            table = self.db.tables.audit
            page = audit.read(session, table,
                              where=office_entries(table, offices.subtree(session,
                                                                          query.office_id)),
                              **_filters(query))
        return AuditPageV1.model_validate(page).wire()
