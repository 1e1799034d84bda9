"""Tables of the gateway's own database: the platform tables (its own audit chain) and
identity: account, role_grant, auth_session, refresh_token, otp_challenge, auth_attempt."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from services.common.schema import Serial, make_metadata, platform_tables

metadata = make_metadata()
platform = platform_tables(metadata)

_tz = DateTime(timezone=True)

account = Table(
    "account",
    metadata,
    Column("id", String(36), primary_key=True),
    # Lower case; citizens get a generated one (they sign in by OTP, never by name).
    Column("username", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("email", String(254), nullable=True),
    Column("phone", String(20), nullable=True),
    # "email:<address>" or "sms:<number>" for accounts that sign in by OTP.
    Column("otp_identity", String(280), nullable=True, unique=True),
    Column("status", String(16), nullable=False),
    Column("password_hash", String(200), nullable=True),
    Column("must_change_password", Boolean, nullable=False),
    # Bumped on every grant change: access tokens minted before it are refused.
    Column("grants_version", Integer, nullable=False),
    Column("created_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
    Column("last_sign_in_at", _tz, nullable=True),
)

role_grant = Table(
    "role_grant",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("account.id"), nullable=False),
    Column("role", String(50), nullable=False),
    Column("scope_kind", String(20), nullable=True),
    Column("scope_id", String(64), nullable=True),
    Column("granted_at", _tz, nullable=False),
    Column("granted_by", String(100), nullable=False),
    Column("revoked_at", _tz, nullable=True),
    Column("revoked_by", String(100), nullable=True),
    Index("ix_role_grant_account", "account_id", "revoked_at"),
    Index("ix_role_grant_role_scope", "role", "scope_kind", "scope_id"),
)

auth_session = Table(
    "auth_session",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("account.id"), nullable=False),
    Column("method", String(16), nullable=False),
    Column("created_at", _tz, nullable=False),
    Column("expires_at", _tz, nullable=False),
    Column("last_refreshed_at", _tz, nullable=True),
    Column("revoked_at", _tz, nullable=True),
    Column("revoked_reason", String(50), nullable=True),
    Index("ix_auth_session_account", "account_id", "revoked_at"),
)

# Every refresh token a session was ever given, by SHA-256: the current one has
# rotated_at NULL; presenting a rotated one again is theft, and revokes the session.
refresh_token = Table(
    "refresh_token",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("session_id", String(36), ForeignKey("auth_session.id"), nullable=False),
    Column("issued_at", _tz, nullable=False),
    Column("expires_at", _tz, nullable=False),
    Column("rotated_at", _tz, nullable=True),
    Index("ix_refresh_token_session", "session_id"),
)

otp_challenge = Table(
    "otp_challenge",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("channel", String(10), nullable=False),
    Column("destination", String(254), nullable=False),
    Column("purpose", String(20), nullable=False),
    # HMAC-SHA256(pepper, id + ":" + code): the code itself is never stored.
    Column("code_hash", String(64), nullable=False),
    Column("created_at", _tz, nullable=False),
    Column("expires_at", _tz, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("used_at", _tz, nullable=True),
    Column("dead_at", _tz, nullable=True),
)

# One row per counted attempt; sliding windows count rows per (kind, key) since a time,
# so every gateway replica sees the same counts. key is an HMAC of the address,
# account name or destination, never the value itself.
auth_attempt = Table(
    "auth_attempt",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("key", String(64), nullable=False),
    Column("at", _tz, nullable=False),
    Index("ix_auth_attempt_kind_key_at", "kind", "key", "at"),
)
