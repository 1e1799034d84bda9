"""The gateway's own database: platform tables (its audit chain) and identity.

Revision ID: gateway_0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from services.common.migration_ops import create_platform_tables_v1

revision = "gateway_0001"
down_revision = None
branch_labels = None
depends_on = None

_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    create_platform_tables_v1()
    op.create_table(
        "account",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("otp_identity", sa.String(280), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("grants_version", sa.Integer, nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.Column("last_sign_in_at", _tz, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_account"),
        sa.UniqueConstraint("username", name="uq_account_username"),
        sa.UniqueConstraint("otp_identity", name="uq_account_otp_identity"),
    )
    op.create_table(
        "role_grant",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(50), nullable=False),
        sa.Column("scope_kind", sa.String(20), nullable=True),
        sa.Column("scope_id", sa.String(64), nullable=True),
        sa.Column("granted_at", _tz, nullable=False),
        sa.Column("granted_by", sa.String(100), nullable=False),
        sa.Column("revoked_at", _tz, nullable=True),
        sa.Column("revoked_by", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_role_grant"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"],
                                name="fk_role_grant_account_id_account"),
    )
    op.create_index("ix_role_grant_account", "role_grant", ["account_id", "revoked_at"])
    op.create_index("ix_role_grant_role_scope", "role_grant", ["role", "scope_kind", "scope_id"])
    op.create_table(
        "auth_session",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("expires_at", _tz, nullable=False),
        sa.Column("last_refreshed_at", _tz, nullable=True),
        sa.Column("revoked_at", _tz, nullable=True),
        sa.Column("revoked_reason", sa.String(50), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_auth_session"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"],
                                name="fk_auth_session_account_id_account"),
    )
    op.create_index("ix_auth_session_account", "auth_session", ["account_id", "revoked_at"])
    op.create_table(
        "refresh_token",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("issued_at", _tz, nullable=False),
        sa.Column("expires_at", _tz, nullable=False),
        sa.Column("rotated_at", _tz, nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_refresh_token"),
        sa.ForeignKeyConstraint(["session_id"], ["auth_session.id"],
                                name="fk_refresh_token_session_id_auth_session"),
    )
    op.create_index("ix_refresh_token_session", "refresh_token", ["session_id"])
    op.create_table(
        "otp_challenge",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("destination", sa.String(254), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("expires_at", _tz, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("used_at", _tz, nullable=True),
        sa.Column("dead_at", _tz, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_otp_challenge"),
    )
    op.create_table(
        "auth_attempt",
        sa.Column("id", _serial, nullable=False, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_auth_attempt"),
    )
    op.create_index("ix_auth_attempt_kind_key_at", "auth_attempt", ["kind", "key", "at"])


def downgrade() -> None:
    raise NotImplementedError("the audit chain is never dropped")
