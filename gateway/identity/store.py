"""The identity store: every change in one transaction on the gateway's own database, with
its audit entry in the same transaction. Functions are synchronous (routes run them in the
thread pool, see docs/access.md) and keyword-only.

Never written anywhere here: passwords, OTP codes, refresh or access token values. The
audit ``changes`` carry names, roles, scopes and ids only.
"""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from gateway.identity import models, otp, ratelimit, roles
from gateway.identity.passwords import Passwords, check_policy, temporary_password
from gateway.identity.sessions import SessionState, hash_token, new_refresh_token
from gateway.identity.tokens import Grant
from services.common import audit, like
from services.common.call_context import CallContext
from services.common.engine import make_engine
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated

log = logging.getLogger(__name__)

ACTIVE = "active"
DISABLED = "disabled"
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"
SYSTEM_ROLE = "system"


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; they were written as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def new_id() -> str:
    return str(uuid.uuid4())


def audit_context(*, request_id: str, actor_id: str, actor_role: str,
                  actor_scope: str | None = None, entrypoint: str = "") -> CallContext:
    """The chassis's call context for an audit entry written by the gateway."""
    return CallContext(request_id=request_id, actor_id=actor_id, actor_role=actor_role,
                       actor_scope=actor_scope, idempotency_key=None, event_id=None,
                       service="gateway", entrypoint=entrypoint)


class PasswordChangeRequired(Forbidden):
    """Signed in with a temporary password: change it first (details carry the token)."""

    code = "password_change_required"


@dataclass(frozen=True)
class IssuedSession:
    """What a successful sign-in, OTP verification, refresh or password change gives."""

    account_id: str
    session_id: str
    grants: tuple[Grant, ...]
    grants_version: int
    refresh_token: str = field(repr=False)
    refresh_expires_in: int


@dataclass(frozen=True)
class SignInOutcome:
    session: IssuedSession | None = None
    password_change_for: str | None = None  # account id that must change its password


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_offset: int | None


class IdentityStore:
    """Accounts, grants, sessions, OTP challenges and attempt counts in one database."""

    def __init__(self, url: str, *, passwords: Passwords, pepper: bytes,
                 refresh_seconds: int, session_max_seconds: int, otp_seconds: int = 300,
                 otp_max_attempts: int = 5, pool_size: int = 8):
        self.url = url
        self.engine: Engine = make_engine(url, pool_size=pool_size)
        self.read_engine: Engine = make_engine(url, pool_size=pool_size, reads=True)
        self.passwords = passwords
        self._pepper = pepper
        self.refresh_seconds = refresh_seconds
        self.session_max_seconds = session_max_seconds
        self.otp_seconds = otp_seconds
        self.otp_max_attempts = otp_max_attempts

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()

    # ------------------------------------------------------------------ helpers

    def _key(self, kind: str, value: str) -> str:
        return ratelimit.attempt_key(self._pepper, f"{kind}:{value}")

    def _check_limits(self, conn: Connection, checks: Sequence[tuple[ratelimit.Limit, str]],
                      now: datetime) -> tuple[ratelimit.Limit, int] | None:
        for limit, value in checks:
            key = self._key(limit.kind, value)
            times = conn.execute(
                select(models.auth_attempt.c.at).where(
                    models.auth_attempt.c.kind == limit.kind,
                    models.auth_attempt.c.key == key,
                    models.auth_attempt.c.at > ratelimit.window_start(now, limit),
                )
            ).scalars().all()
            wait = ratelimit.retry_after([aware(t) for t in times], now=now, limit=limit)
            if wait is not None:
                return limit, wait
        return None

    def _record(self, conn: Connection, limit: ratelimit.Limit, value: str,
                now: datetime) -> None:
        conn.execute(insert(models.auth_attempt).values(
            kind=limit.kind, key=self._key(limit.kind, value), at=now))

    def _active_grants(self, conn: Connection, account_id: str) -> tuple[Grant, ...]:
        g = models.role_grant
        rows = conn.execute(
            select(g.c.role, g.c.scope_kind, g.c.scope_id)
            .where(g.c.account_id == account_id, g.c.revoked_at.is_(None))
            .order_by(g.c.granted_at, g.c.id)
        ).all()
        return tuple(Grant(row.role, roles.scope_string(row.scope_kind, row.scope_id))
                     for row in rows)

    def _new_session(self, conn: Connection, *, account_id: str, method: str,
                     now: datetime) -> tuple[str, str, int]:
        session_id = new_id()
        expires = now + timedelta(seconds=self.session_max_seconds)
        conn.execute(insert(models.auth_session).values(
            id=session_id, account_id=account_id, method=method, created_at=now,
            expires_at=expires, last_refreshed_at=None, revoked_at=None, revoked_reason=None))
        token, lifetime = self._new_refresh(conn, session_id=session_id, session_expires=expires,
                                            now=now)
        return session_id, token, lifetime

    def _new_refresh(self, conn: Connection, *, session_id: str, session_expires: datetime,
                     now: datetime) -> tuple[str, int]:
        token = new_refresh_token()
        expires = min(now + timedelta(seconds=self.refresh_seconds), session_expires)
        conn.execute(insert(models.refresh_token).values(
            token_hash=hash_token(token), session_id=session_id, issued_at=now,
            expires_at=expires, rotated_at=None))
        return token, max(1, int((expires - now).total_seconds()))

    def _revoke_sessions(self, conn: Connection, *, account_id: str, reason: str,
                         now: datetime) -> int:
        s = models.auth_session
        return conn.execute(
            update(s).where(s.c.account_id == account_id, s.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        ).rowcount

    def _audit(self, conn: Connection, ctx: CallContext, *, action: str, entity_type: str,
               entity_id: str, changes: dict[str, Any]) -> None:
        with Session(bind=conn) as session:
            audit.append(session, models.platform.audit, ctx, action=action,
                         entity_type=entity_type, entity_id=entity_id, changes=changes)

    def _lock_account(self, conn: Connection, account_id: str) -> Any:
        """The account row, locked on PostgreSQL (SQLite's BEGIN IMMEDIATE already holds
        the database), so grant changes of one account are serialised."""
        a = models.account
        query = select(a).where(a.c.id == account_id)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return conn.execute(query).mappings().first()

    # ------------------------------------------------------------------ sign-in

    def sign_in_password(self, *, username: str, password: str, address: str,
                         request_id: str) -> SignInOutcome:
        """Check the password under the brute-force limits; a session on success."""
        name = username.strip().lower()
        now = now_utc()
        checks = [(ratelimit.PASSWORD_ACCOUNT, name), (ratelimit.PASSWORD_ADDRESS, address)]
        with self.read_engine.connect() as conn:
            limited = self._check_limits(conn, checks, now)
            row = conn.execute(select(models.account).where(
                models.account.c.username == name)).mappings().first()
        if limited is not None:
            raise ratelimit.refuse(*limited)
        # Outside any transaction: argon2 takes tens of milliseconds and SQLite's write
        # lock must not wait for it. Unknown accounts verify against a dummy hash.
        stored = row["password_hash"] if row is not None else None
        if not self.passwords.verify(stored, password):
            with self.engine.begin() as conn:
                for limit, value in checks:
                    self._record(conn, limit, value, now)
            raise Unauthenticated("Wrong username or password.")
        assert row is not None
        if row["status"] != ACTIVE:
            raise Forbidden("This account is disabled.", {"reason": "account_disabled"})
        if row["must_change_password"]:
            return SignInOutcome(password_change_for=row["id"])
        with self.engine.begin() as conn:
            session = self._start_session(conn, account=row, method="password", now=now,
                                          request_id=request_id)
            # A success forgets this account's earlier failures.
            conn.execute(delete(models.auth_attempt).where(
                models.auth_attempt.c.kind == ratelimit.PASSWORD_ACCOUNT.kind,
                models.auth_attempt.c.key == self._key(ratelimit.PASSWORD_ACCOUNT.kind, name)))
            if self.passwords.needs_rehash(stored):
                conn.execute(update(models.account).where(models.account.c.id == row["id"])
                             .values(password_hash=self.passwords.hash(password)))
        return SignInOutcome(session=session)

    def _start_session(self, conn: Connection, *, account: Any, method: str, now: datetime,
                       request_id: str) -> IssuedSession:
        session_id, token, lifetime = self._new_session(conn, account_id=account["id"],
                                                        method=method, now=now)
        conn.execute(update(models.account).where(models.account.c.id == account["id"])
                     .values(last_sign_in_at=now))
        grants = self._active_grants(conn, account["id"])
        ctx = audit_context(request_id=request_id, actor_id=account["id"],
                            actor_role=grants[0].role if grants else "account",
                            entrypoint="sign_in")
        self._audit(conn, ctx, action="signed_in", entity_type="auth_session",
                    entity_id=session_id, changes={"account_id": account["id"],
                                                   "method": method})
        return IssuedSession(account["id"], session_id, grants, account["grants_version"],
                             token, lifetime)

    # ------------------------------------------------------------------ sessions

    def refresh(self, *, refresh_token: str, request_id: str) -> IssuedSession:
        """Rotate a refresh token. A token that was already rotated revokes its session."""
        now = now_utc()
        failure: str | None = None
        with self.engine.begin() as conn:
            r, s, a = models.refresh_token, models.auth_session, models.account
            query = select(r).where(r.c.token_hash == hash_token(refresh_token))
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            token = conn.execute(query).mappings().first()
            if token is None:
                raise Unauthenticated("The refresh token is not valid.")
            session = conn.execute(select(s).where(s.c.id == token["session_id"])
                                   ).mappings().one()
            account = conn.execute(select(a).where(a.c.id == session["account_id"])
                                   ).mappings().one()
            if token["rotated_at"] is not None:
                if session["revoked_at"] is None:
                    conn.execute(update(s).where(s.c.id == session["id"]).values(
                        revoked_at=now, revoked_reason="refresh_token_reused"))
                    ctx = audit_context(request_id=request_id, actor_id=account["id"],
                                        actor_role="account", entrypoint="refresh")
                    self._audit(conn, ctx, action="session_revoked", entity_type="auth_session",
                                entity_id=session["id"],
                                changes={"reason": "refresh_token_reused"})
                    log.warning("a rotated refresh token was presented again; session %s "
                                "revoked", session["id"])
                failure = "The refresh token was already used; the session is revoked."
            elif (session["revoked_at"] is not None or aware(session["expires_at"]) <= now
                  or aware(token["expires_at"]) <= now or account["status"] != ACTIVE):
                failure = "The session has ended; sign in again."
            else:
                conn.execute(update(r).where(r.c.token_hash == token["token_hash"])
                             .values(rotated_at=now))
                conn.execute(update(s).where(s.c.id == session["id"])
                             .values(last_refreshed_at=now))
                new_token, lifetime = self._new_refresh(
                    conn, session_id=session["id"], session_expires=aware(session["expires_at"]),
                    now=now)
                grants = self._active_grants(conn, account["id"])
                return IssuedSession(account["id"], session["id"], grants,
                                     account["grants_version"], new_token, lifetime)
        raise Unauthenticated(failure)

    def sign_out(self, *, session_id: str, ctx: CallContext) -> None:
        s = models.auth_session
        with self.engine.begin() as conn:
            changed = conn.execute(update(s).where(s.c.id == session_id,
                                                   s.c.revoked_at.is_(None))
                                   .values(revoked_at=now_utc(), revoked_reason="signed_out")
                                   ).rowcount
            if changed:
                self._audit(conn, ctx, action="signed_out", entity_type="auth_session",
                            entity_id=session_id, changes={})

    def session_state(self, *, session_id: str) -> SessionState:
        """Whether a token's session still counts (the per-request check)."""
        s, a = models.auth_session, models.account
        with self.read_engine.connect() as conn:
            row = conn.execute(
                select(s.c.revoked_at, s.c.expires_at, a.c.status, a.c.grants_version)
                .select_from(s.join(a, a.c.id == s.c.account_id))
                .where(s.c.id == session_id)
            ).first()
        if row is None:
            return SessionState(active=False, grants_version=-1)
        active = (row.revoked_at is None and aware(row.expires_at) > now_utc()
                  and row.status == ACTIVE)
        return SessionState(active=active, grants_version=row.grants_version)

    # ------------------------------------------------------------------ passwords

    def change_password(self, *, account_id: str, old_password: str, new_password: str,
                        address: str, ctx: CallContext) -> IssuedSession:
        """Check the old password, set the new one, end every session, start a new one."""
        now = now_utc()
        with self.read_engine.connect() as conn:
            row = conn.execute(select(models.account).where(
                models.account.c.id == account_id)).mappings().first()
            if row is None or row["status"] != ACTIVE:
                raise Unauthenticated("The account is not active.")
            checks = [(ratelimit.PASSWORD_ACCOUNT, row["username"]),
                      (ratelimit.PASSWORD_ADDRESS, address)]
            limited = self._check_limits(conn, checks, now)
        if limited is not None:
            raise ratelimit.refuse(*limited)
        if not self.passwords.verify(row["password_hash"], old_password):
            with self.engine.begin() as conn:
                for limit, value in checks:
                    self._record(conn, limit, value, now)
            raise InvalidInput("The current password is wrong.",
                               fields={"old_password": "does not match"})
        check_policy(new_password, username=row["username"])
        if new_password == old_password:
            raise InvalidInput("The new password must differ from the old one.",
                               fields={"new_password": "must differ from old_password"})
        new_hash = self.passwords.hash(new_password)
        with self.engine.begin() as conn:
            conn.execute(update(models.account).where(models.account.c.id == account_id)
                         .values(password_hash=new_hash, must_change_password=False,
                                 updated_at=now))
            ended = self._revoke_sessions(conn, account_id=account_id,
                                          reason="password_changed", now=now)
            self._audit(conn, ctx, action="password_changed", entity_type="account",
                        entity_id=account_id, changes={"sessions_revoked": ended})
            fresh = conn.execute(select(models.account).where(
                models.account.c.id == account_id)).mappings().one()
            return self._start_session(conn, account=fresh, method="password", now=now,
                                       request_id=ctx.request_id)

    # ------------------------------------------------------------------ OTP

    def request_otp(self, *, channel: str, destination: str, address: str,
                    purpose: str = "sign_in") -> tuple[str, str, int]:
        """A new challenge under the request limits: (challenge id, code, lifetime)."""
        now = now_utc()
        checks = [(ratelimit.OTP_DESTINATION, f"{channel}:{destination}"),
                  (ratelimit.OTP_ADDRESS, address)]
        code = otp.new_code()
        challenge_id = new_id()
        with self.engine.begin() as conn:
            limited = self._check_limits(conn, checks, now)
            if limited is None:
                for limit, value in checks:
                    self._record(conn, limit, value, now)
                conn.execute(insert(models.otp_challenge).values(
                    id=challenge_id, channel=channel, destination=destination, purpose=purpose,
                    code_hash=otp.code_hash(self._pepper, challenge_id, code), created_at=now,
                    expires_at=now + timedelta(seconds=self.otp_seconds), attempts=0,
                    used_at=None, dead_at=None))
        if limited is not None:
            raise ratelimit.refuse(*limited)
        return challenge_id, code, self.otp_seconds

    def kill_challenge(self, *, challenge_id: str) -> None:
        """The code never went out: nobody may use the challenge."""
        c = models.otp_challenge
        with self.engine.begin() as conn:
            conn.execute(update(c).where(c.c.id == challenge_id).values(dead_at=now_utc()))

    def verify_otp(self, *, challenge_id: str, code: str, address: str,
                   request_id: str) -> IssuedSession:
        """Use a challenge once: a session for its citizen account, made on first use."""
        now = now_utc()
        c = models.otp_challenge
        refused = Unauthenticated("The code is wrong, used or expired.")
        checks = [(ratelimit.OTP_VERIFY_ADDRESS, address)]
        with self.read_engine.connect() as conn:
            limited = self._check_limits(conn, checks, now)
        if limited is not None:
            raise ratelimit.refuse(*limited)
        failed = False
        with self.engine.begin() as conn:
            row = conn.execute(select(c).where(c.c.id == challenge_id)).mappings().first()
            if (row is None or row["used_at"] is not None or row["dead_at"] is not None
                    or aware(row["expires_at"]) <= now
                    or row["attempts"] >= self.otp_max_attempts):
                self._record(conn, ratelimit.OTP_VERIFY_ADDRESS, address, now)
                failed = True
            elif not otp.code_matches(self._pepper, challenge_id, code, row["code_hash"]):
                attempts = row["attempts"] + 1
                conn.execute(update(c).where(c.c.id == challenge_id).values(
                    attempts=attempts,
                    dead_at=now if attempts >= self.otp_max_attempts else None))
                self._record(conn, ratelimit.OTP_VERIFY_ADDRESS, address, now)
                failed = True
            else:
                # Single use even under concurrency: only one UPDATE finds used_at NULL.
                claimed = conn.execute(update(c).where(
                    c.c.id == challenge_id, c.c.used_at.is_(None), c.c.dead_at.is_(None))
                    .values(used_at=now)).rowcount
                if claimed != 1:
                    failed = True
                else:
                    return self._citizen_session(conn, channel=row["channel"],
                                                 destination=row["destination"], now=now,
                                                 request_id=request_id)
        assert failed
        raise refused

    def _citizen_session(self, conn: Connection, *, channel: str, destination: str,
                         now: datetime, request_id: str) -> IssuedSession:
        a = models.account
        identity = f"{channel}:{destination}"
        account = conn.execute(select(a).where(a.c.otp_identity == identity)).mappings().first()
        if account is None:
            account_id = new_id()
            conn.execute(insert(a).values(
                id=account_id, username=f"citizen-{secrets.token_hex(8)}", kind="citizen",
                display_name="Citizen", email=destination if channel == "email" else None,
                phone=destination if channel == "sms" else None, otp_identity=identity,
                status=ACTIVE, password_hash=None, must_change_password=False,
                grants_version=1, created_at=now, updated_at=now, last_sign_in_at=None))
            conn.execute(insert(models.role_grant).values(
                id=new_id(), account_id=account_id, role=roles.CITIZEN, scope_kind=None,
                scope_id=None, granted_at=now, granted_by=account_id))
            ctx = audit_context(request_id=request_id, actor_id=account_id,
                                actor_role=roles.CITIZEN, entrypoint="otp_verify")
            self._audit(conn, ctx, action="citizen_registered", entity_type="account",
                        entity_id=account_id, changes={"kind": "citizen", "channel": channel,
                                                       "role": roles.CITIZEN})
            account = conn.execute(select(a).where(a.c.id == account_id)).mappings().one()
        elif account["status"] != ACTIVE:
            raise Forbidden("This account is disabled.", {"reason": "account_disabled"})
        return self._start_session(conn, account=account, method="otp", now=now,
                                   request_id=request_id)

    # ------------------------------------------------------------------ accounts

    def _account_wire(self, conn: Connection, row: Any) -> dict[str, Any]:
        g = models.role_grant
        grants = conn.execute(
            select(g).where(g.c.account_id == row["id"], g.c.revoked_at.is_(None))
            .order_by(g.c.granted_at, g.c.id)).mappings().all()
        return {
            "id": row["id"], "username": row["username"], "kind": row["kind"],
            "display_name": row["display_name"], "email": row["email"], "phone": row["phone"],
            "status": row["status"], "must_change_password": row["must_change_password"],
            "created_at": aware(row["created_at"]),
            "last_sign_in_at": aware(row["last_sign_in_at"]),
            "grants": [_grant_wire(grant) for grant in grants],
        }

    def get_account(self, *, account_id: str) -> dict[str, Any]:
        with self.read_engine.connect() as conn:
            row = conn.execute(select(models.account).where(
                models.account.c.id == account_id)).mappings().first()
            if row is None:
                raise NotFound("No such account.", {"account_id": account_id})
            return self._account_wire(conn, row)

    def create_account(self, *, kind: str, username: str, display_name: str,
                       email: str | None, phone: str | None, ctx: CallContext,
                       password: str | None = None, must_change: bool = True,
                       grant_role: str | None = None) -> tuple[dict[str, Any], str | None]:
        """A staff or society account. Without ``password`` it gets a one-time temporary
        password (returned once, never stored in clear) that must be changed first."""
        name = username.strip().lower()
        if not re.match(USERNAME_PATTERN, name):
            raise InvalidInput("Not a username.", fields={
                "username": "3-64 characters of a-z 0-9 . _ -, starting with a letter or digit"})
        if kind not in ("staff", "society"):
            raise InvalidInput("Not an account kind.", fields={"kind": "staff or society"})
        temporary = None
        if password is None:
            temporary = password = temporary_password()
        else:
            check_policy(password, username=name, field="password")
        now = now_utc()
        account_id = new_id()
        password_hash = self.passwords.hash(password)
        a = models.account
        with self.engine.begin() as conn:
            if conn.execute(select(a.c.id).where(a.c.username == name)).first() is not None:
                raise Conflict("That username is taken.", {"username": name})
            conn.execute(insert(a).values(
                id=account_id, username=name, kind=kind, display_name=display_name,
                email=email, phone=phone, otp_identity=None, status=ACTIVE,
                password_hash=password_hash, must_change_password=must_change,
                grants_version=1, created_at=now, updated_at=now, last_sign_in_at=None))
            self._audit(conn, ctx, action="account_created", entity_type="account",
                        entity_id=account_id, changes={"username": name, "kind": kind,
                                                       "display_name": display_name})
            if grant_role is not None:
                self._add_grant(conn, account_id=account_id, account_kind=kind,
                                role=grant_role, scope_kind=None, scope_id=None, ctx=ctx,
                                now=now)
            row = conn.execute(select(a).where(a.c.id == account_id)).mappings().one()
            return self._account_wire(conn, row), temporary

    def list_accounts(self, *, role: str | None = None, kind: str | None = None,
                      status: str | None = None, q: str | None = None, limit: int = 50,
                      offset: int = 0) -> Page:
        a, g = models.account, models.role_grant
        query = select(a)
        if role:
            query = query.where(a.c.id.in_(select(g.c.account_id).where(
                g.c.role == role, g.c.revoked_at.is_(None))))
        if kind:
            query = query.where(a.c.kind == kind)
        if status:
            query = query.where(a.c.status == status)
        if q:
            pattern = "%" + like.literal(q.lower()) + "%"
            query = query.where(or_(
                func.lower(a.c.username).like(pattern, escape=like.ESCAPE),
                func.lower(a.c.display_name).like(pattern, escape=like.ESCAPE),
                func.lower(func.coalesce(a.c.email, "")).like(pattern, escape=like.ESCAPE)))
        query = query.order_by(a.c.created_at, a.c.id).offset(offset).limit(limit + 1)
        with self.read_engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            items = [self._account_wire(conn, row) for row in rows[:limit]]
        return Page(items, offset + limit if len(rows) > limit else None)

    def disable_account(self, *, account_id: str, ctx: CallContext) -> dict[str, Any]:
        if account_id == ctx.actor_id:
            raise Conflict("You cannot disable your own account.")
        now = now_utc()
        with self.engine.begin() as conn:
            row = self._lock_account(conn, account_id)
            if row is None:
                raise NotFound("No such account.", {"account_id": account_id})
            if row["status"] != DISABLED:
                conn.execute(update(models.account).where(models.account.c.id == account_id)
                             .values(status=DISABLED, updated_at=now))
                ended = self._revoke_sessions(conn, account_id=account_id,
                                              reason="account_disabled", now=now)
                self._audit(conn, ctx, action="account_disabled", entity_type="account",
                            entity_id=account_id, changes={"status": DISABLED,
                                                           "sessions_revoked": ended})
            row = conn.execute(select(models.account).where(
                models.account.c.id == account_id)).mappings().one()
            return self._account_wire(conn, row)

    # ------------------------------------------------------------------ grants

    def _add_grant(self, conn: Connection, *, account_id: str, account_kind: str, role: str,
                   scope_kind: str | None, scope_id: str | None, ctx: CallContext,
                   now: datetime) -> dict[str, Any]:
        roles.validate_grant(role=role, scope_kind=scope_kind, scope_id=scope_id,
                             account_kind=account_kind)
        g = models.role_grant
        same = and_(g.c.account_id == account_id, g.c.role == role, g.c.revoked_at.is_(None),
                    g.c.scope_kind.is_(None) if scope_kind is None else g.c.scope_kind
                    == scope_kind,
                    g.c.scope_id.is_(None) if scope_id is None else g.c.scope_id == scope_id)
        if conn.execute(select(g.c.id).where(same)).first() is not None:
            raise Conflict("The account already holds that grant.")
        grant_id = new_id()
        conn.execute(insert(g).values(id=grant_id, account_id=account_id, role=role,
                                      scope_kind=scope_kind, scope_id=scope_id, granted_at=now,
                                      granted_by=ctx.actor_id))
        conn.execute(update(models.account).where(models.account.c.id == account_id)
                     .values(grants_version=models.account.c.grants_version + 1,
                             updated_at=now))
        scope = roles.scope_string(scope_kind, scope_id)
        self._audit(conn, ctx, action="role_granted", entity_type="role_grant",
                    entity_id=grant_id, changes={"account_id": account_id, "role": role,
                                                 "scope": scope})
        return _grant_wire(conn.execute(select(g).where(g.c.id == grant_id)).mappings().one())

    def add_grant(self, *, account_id: str, role: str, scope_kind: str | None,
                  scope_id: str | None, ctx: CallContext) -> dict[str, Any]:
        with self.engine.begin() as conn:
            account = self._lock_account(conn, account_id)
            if account is None:
                raise NotFound("No such account.", {"account_id": account_id})
            return self._add_grant(conn, account_id=account_id, account_kind=account["kind"],
                                   role=role, scope_kind=scope_kind, scope_id=scope_id,
                                   ctx=ctx, now=now_utc())

    def revoke_grant(self, *, account_id: str, grant_id: str,
                     ctx: CallContext) -> dict[str, Any]:
        """Revoke one grant and bump the account's grants version: its access tokens are
        refused from the next session check; a refresh mints tokens without the grant."""
        g = models.role_grant
        now = now_utc()
        with self.engine.begin() as conn:
            account = self._lock_account(conn, account_id)
            grant = conn.execute(select(g).where(g.c.id == grant_id, g.c.account_id
                                                 == account_id)).mappings().first()
            if account is None or grant is None or grant["revoked_at"] is not None:
                raise NotFound("No such grant.", {"grant_id": grant_id})
            if grant["role"] == roles.ADMINISTRATOR and account_id == ctx.actor_id:
                raise Conflict("You cannot revoke your own administrator grant.")
            conn.execute(update(g).where(g.c.id == grant_id).values(revoked_at=now,
                                                                    revoked_by=ctx.actor_id))
            conn.execute(update(models.account).where(models.account.c.id == account_id)
                         .values(grants_version=models.account.c.grants_version + 1,
                                 updated_at=now))
            self._audit(conn, ctx, action="role_revoked", entity_type="role_grant",
                        entity_id=grant_id, changes={
                            "account_id": account_id, "role": grant["role"],
                            "scope": roles.scope_string(grant["scope_kind"],
                                                        grant["scope_id"])})
            return _grant_wire(conn.execute(select(g).where(g.c.id == grant_id)
                                            ).mappings().one())

    def list_grants(self, *, role: str | None = None, scope: tuple[str, str] | None = None,
                    limit: int = 50, offset: int = 0) -> Page:
        g, a = models.role_grant, models.account
        query = (select(g, a.c.username, a.c.display_name, a.c.status.label("account_status"))
                 .select_from(g.join(a, a.c.id == g.c.account_id))
                 .where(g.c.revoked_at.is_(None)))
        if role:
            query = query.where(g.c.role == role)
        if scope:
            query = query.where(g.c.scope_kind == scope[0], g.c.scope_id == scope[1])
        query = query.order_by(g.c.role, g.c.granted_at, g.c.id).offset(offset).limit(limit + 1)
        with self.read_engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        items = [{**_grant_wire(row), "username": row["username"],
                  "display_name": row["display_name"],
                  "account_status": row["account_status"]} for row in rows[:limit]]
        return Page(items, offset + limit if len(rows) > limit else None)

    # ------------------------------------------------------------------ upkeep

    def verify_audit(self) -> audit.Verification:
        with Session(bind=self.read_engine) as session:
            return audit.verify(session, models.platform.audit)

    def prune(self, *, keep: timedelta = timedelta(days=1)) -> int:
        """Delete attempt counts and OTP challenges older than ``keep`` (every window is
        far shorter); sessions and grants stay for the record."""
        cutoff = now_utc() - keep
        with self.engine.begin() as conn:
            gone = conn.execute(delete(models.auth_attempt).where(
                models.auth_attempt.c.at < cutoff)).rowcount
            gone += conn.execute(delete(models.otp_challenge).where(
                models.otp_challenge.c.expires_at < cutoff)).rowcount
        return gone

    def ping(self) -> None:
        with self.read_engine.connect() as conn:
            conn.execute(select(1))


def _grant_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"], "account_id": row["account_id"], "role": row["role"],
        "scope_kind": row["scope_kind"], "scope_id": row["scope_id"],
        "scope": roles.scope_string(row["scope_kind"], row["scope_id"]),
        "granted_at": aware(row["granted_at"]), "granted_by": row["granted_by"],
    }
