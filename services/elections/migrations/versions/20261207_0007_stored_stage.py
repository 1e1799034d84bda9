"""Each election's current stage stored (``election.stage``, ``election.stage_changes_at``)
so lists filter by stage in SQL; existing elections backfilled by the service's clock as
it reads now (the rehearsal offset where ``ELECTIONS_CLOCK=adjustable``).

Revision ID: elections_0007
Revises: elections_0006
Create Date: 2026-12-07
"""

import os
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from alembic import op

revision = "elections_0007"
down_revision = "elections_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from services.elections.orders.programme import Window, reached

    op.add_column("election", sa.Column("stage", sa.String(40), nullable=True))
    op.add_column("election", sa.Column("stage_changes_at", sa.DateTime(timezone=True),
                                        nullable=True))
    op.create_index("ix_election_stage", "election", ["stage"])
    op.create_index("ix_election_stage_changes_at", "election", ["stage_changes_at"])
    bind = op.get_bind()
    now = datetime.now(UTC)
    # The setting itself, not elections_settings(): a migration needs no service keys.
    if os.environ.get("ELECTIONS_CLOCK", "real") == "adjustable":
        offset = bind.execute(sa.text("SELECT seconds FROM clock_offset WHERE id = 1")).scalar()
        now += timedelta(seconds=offset or 0)
    windows: dict[str, dict[str, Window]] = {}
    for r in bind.execute(sa.text(
            "SELECT election_id, stage, starts_on, ends_on, daily_from, daily_to"
            " FROM programme_stage")):
        windows.setdefault(r.election_id, {})[r.stage] = Window(
            r.stage, _day(r.starts_on), _day(r.ends_on), _hour(r.daily_from),
            _hour(r.daily_to))
    for election_id, found in windows.items():
        stage, changes_at = reached(found, now)
        bind.execute(sa.text("UPDATE election SET stage = :s, stage_changes_at = :c"
                             " WHERE id = :i"), {"s": stage, "c": changes_at, "i": election_id})


def _day(value):       # SQLite answers text
    return date.fromisoformat(value) if isinstance(value, str) else value


def _hour(value):
    return time.fromisoformat(value) if isinstance(value, str) else value


def downgrade() -> None:
    op.drop_index("ix_election_stage_changes_at", "election")
    op.drop_index("ix_election_stage", "election")
    op.drop_column("election", "stage_changes_at")
    op.drop_column("election", "stage")
