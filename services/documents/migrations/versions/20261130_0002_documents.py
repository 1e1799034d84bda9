"""Documents, their versions, restricted downloads and issued certificates.

Revision ID: documents_0002
Revises: documents_0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "documents_0002"
down_revision = "documents_0001"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)
_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("society_id", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("access_level", sa.String(32), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document"),
    )
    op.create_index("ix_document_owner_created", "document", ["owner", "created_at", "id"])
    op.create_index("ix_document_society_created", "document",
                    ["society_id", "created_at", "id"])
    op.create_index("ix_document_kind_access", "document",
                    ["kind", "access_level", "created_at"])
    op.create_table(
        "document_version",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(120), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("object_key", sa.String(200), nullable=False),
        sa.Column("slot_id", sa.String(32), nullable=False),
        sa.Column("uploaded_by", sa.String(100), nullable=False),
        sa.Column("uploaded_role", sa.String(40), nullable=False),
        sa.Column("uploaded_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_version"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name="fk_document_version_document_id_document"),
        sa.UniqueConstraint("document_id", "version",
                            name="uq_document_version_document_id_version"),
        sa.UniqueConstraint("object_key", name="uq_document_version_object_key"),
        sa.UniqueConstraint("slot_id", name="uq_document_version_slot_id"),
    )
    op.create_index("ix_document_version_sha256", "document_version", ["sha256"])
    op.create_table(
        "document_download",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(40), nullable=False),
        sa.Column("actor_scope", sa.String(100), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("downloaded_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_download"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name="fk_document_download_document_id_document"),
    )
    op.create_index("ix_document_download_document", "document_download",
                    ["document_id", "id"])
    op.create_table(
        "certificate",
        sa.Column("verification_code", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("certificate_kind", sa.String(20), nullable=False),
        sa.Column("society_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.JSON, nullable=False),
        sa.Column("issued_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("verification_code", name="pk_certificate"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name="fk_certificate_document_id_document"),
    )
    op.create_index("ix_certificate_sha256", "certificate", ["sha256"])
    op.create_index("ix_certificate_society", "certificate", ["society_id"])


def downgrade() -> None:
    for table in ("certificate", "document_download", "document_version", "document"):
        op.drop_table(table)
