"""Administration of accounts and grants (role ``administrator`` only, see
gateway/rules/platform.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.access import Actor, ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.identity import roles
from gateway.identity.store import audit_context
from gateway.pagination import CursorQuery, as_page, encode_cursor, offset_of, page_model
from gateway.routes.auth import AccountOut, GrantOut, IdentityDep
from gateway.settings import DEFAULT_SERVICES
from services.common.contracts.platform import AuditPageV1

router = APIRouter(prefix="/v1/admin", tags=["admin"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
AuditPageOut = page_model(AuditPageV1, "AuditPageOut")

_ID = r"^[0-9a-f-]{36}$"
AccountId = Annotated[str, Path(min_length=36, max_length=36, pattern=_ID)]
GrantId = Annotated[str, Path(min_length=36, max_length=36, pattern=_ID)]
Limit = Annotated[int, Query(ge=1, le=100, description="at most 100 per page")]
# What roles.parse_scope takes: one of the scope kinds, a colon, a scope id.
SCOPE_PATTERN = rf"^(?:{'|'.join(roles.SCOPE_KINDS)}):{roles.SCOPE_ID_PATTERN.removeprefix('^')}"


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["staff", "society"]
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    display_name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=20, pattern=r"^\+?[0-9 ()-]{6,20}$")


class AccountCreatedOut(BaseModel):
    account: AccountOut
    temporary_password: str = Field(
        description="shown once; the account must change it at its first sign-in")


class AccountPageOut(BaseModel):
    items: list[AccountOut]
    next_cursor: str | None


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str = Field(min_length=1, max_length=50)
    scope_kind: str | None = Field(None, min_length=1, max_length=20)
    scope_id: str | None = Field(None, min_length=1, max_length=64)


class HolderOut(GrantOut):
    username: str
    display_name: str
    account_status: str


class GrantPageOut(BaseModel):
    items: list[HolderOut]
    next_cursor: str | None


class AuditCheckOut(BaseModel):
    ok: bool
    entries_checked: int
    first_bad_entry_id: int | None
    reason: str


def _ctx(actor: Actor, context: CallContextDep, entrypoint: str):
    return audit_context(request_id=context.request_id, actor_id=actor.account_id,
                         actor_role=actor.role, actor_scope=actor.scope, entrypoint=entrypoint)


@router.post("/accounts", name="admin.create_account", response_model=AccountCreatedOut,
             status_code=status.HTTP_201_CREATED, summary="Create a staff or society account")
async def create_account(body: AccountIn, actor: ActorDep, identity: IdentityDep,
                         context: CallContextDep) -> AccountCreatedOut:
    account, temporary = await identity.run(
        identity.store.create_account, kind=body.kind, username=body.username,
        display_name=body.display_name, email=body.email, phone=body.phone,
        ctx=_ctx(actor, context, "admin.create_account"))
    assert temporary is not None
    return AccountCreatedOut(account=AccountOut.model_validate(account),
                             temporary_password=temporary)


@router.get("/accounts", name="admin.list_accounts", response_model=AccountPageOut,
            summary="Accounts, filtered and paginated")
async def list_accounts(
    identity: IdentityDep, limit: Limit = 50, cursor: CursorQuery = None,
    role: Annotated[str | None, Query(max_length=50)] = None,
    kind: Literal["staff", "society", "citizen"] | None = None,
    status: Literal["active", "disabled"] | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> AccountPageOut:
    page = await identity.run(identity.store.list_accounts, role=role, kind=kind,
                              status=status, q=q, limit=limit, offset=offset_of(cursor))
    return AccountPageOut(items=[AccountOut.model_validate(item) for item in page.items],
                          next_cursor=encode_cursor(page.next_offset))


@router.get("/accounts/{account_id}", name="admin.get_account", response_model=AccountOut,
            summary="One account and its grants")
async def get_account(account_id: AccountId, identity: IdentityDep) -> AccountOut:
    return AccountOut.model_validate(
        await identity.run(identity.store.get_account, account_id=account_id))


@router.post("/accounts/{account_id}/disable", name="admin.disable_account",
             response_model=AccountOut, summary="Disable an account and end its sessions")
async def disable_account(account_id: AccountId, actor: ActorDep, identity: IdentityDep,
                          context: CallContextDep) -> AccountOut:
    found = await identity.run(identity.store.disable_account, account_id=account_id,
                               ctx=_ctx(actor, context, "admin.disable_account"))
    return AccountOut.model_validate(found)


@router.post("/accounts/{account_id}/grants", name="admin.add_grant", response_model=GrantOut,
             status_code=status.HTTP_201_CREATED, summary="Grant a role, optionally scoped")
async def add_grant(account_id: AccountId, body: GrantIn, actor: ActorDep,
                    identity: IdentityDep, context: CallContextDep) -> GrantOut:
    grant = await identity.run(identity.store.add_grant, account_id=account_id,
                               role=body.role, scope_kind=body.scope_kind,
                               scope_id=body.scope_id,
                               ctx=_ctx(actor, context, "admin.add_grant"))
    return GrantOut.model_validate(grant)


@router.delete("/accounts/{account_id}/grants/{grant_id}", name="admin.revoke_grant",
               response_model=GrantOut, summary="Revoke a grant")
async def revoke_grant(account_id: AccountId, grant_id: GrantId, actor: ActorDep,
                       identity: IdentityDep, context: CallContextDep) -> GrantOut:
    grant = await identity.run(identity.store.revoke_grant, account_id=account_id,
                               grant_id=grant_id, ctx=_ctx(actor, context, "admin.revoke_grant"))
    return GrantOut.model_validate(grant)


@router.get("/grants", name="admin.list_grants", response_model=GrantPageOut,
            summary="Who holds what: active grants by role and scope")
async def list_grants(
    identity: IdentityDep, limit: Limit = 50, cursor: CursorQuery = None,
    role: Annotated[str | None, Query(max_length=50)] = None,
    scope: Annotated[str | None, Query(max_length=90, pattern=SCOPE_PATTERN,
                                       description="<kind>:<id>")] = None,
) -> GrantPageOut:
    page = await identity.run(identity.store.list_grants, role=role,
                              scope=roles.parse_scope(scope), limit=limit,
                              offset=offset_of(cursor))
    return GrantPageOut(items=[HolderOut.model_validate(item) for item in page.items],
                        next_cursor=encode_cursor(page.next_offset))


@router.get("/audit/verify", name="admin.verify_audit", response_model=AuditCheckOut,
            summary="Walk the gateway's audit chain")
async def verify_audit(identity: IdentityDep) -> AuditCheckOut:
    result = await identity.run(identity.store.verify_audit)
    return AuditCheckOut(ok=result.ok, entries_checked=result.entries_checked,
                         first_bad_entry_id=result.first_bad_entry_id, reason=result.reason)


def _utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.isoformat()
    try:
        return moment.astimezone(UTC).isoformat()
    except OverflowError:  # before 0001-01-01 in UTC: earlier than any entry
        return datetime.min.replace(tzinfo=UTC).isoformat()


@router.get("/audit/{service}/entries", name="admin.audit_entries",
            response_model=AuditPageOut,
            summary="A service's audit trail, newest first, by entity, actor, action and time")
async def audit_entries(
    service: Annotated[Literal[DEFAULT_SERVICES], Path()],  # type: ignore[valid-type]
    rpc: RpcDep, context: CallContextDep, limit: Limit = 50, cursor: CursorQuery = None,
    entity_type: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    entity_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    actor_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    action: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    since: datetime | None = None, until: datetime | None = None,
) -> dict:
    # In UTC: the databases take offsets of at most ±15:59, ISO 8601 up to ±18:00.
    query = {"entity_type": entity_type, "entity_id": entity_id, "actor_id": actor_id,
             "action": action, "since": _utc(since), "until": _utc(until), "limit": limit,
             "offset": offset_of(cursor)}
    return as_page(await rpc.call(service, "audit_entries",
                                  {k: v for k, v in query.items() if v is not None},
                                  context=context))
