"""The offices' performance by month: indexes on when cases were received and closed
and on the history's action and moment (escalations per month).

Revision ID: grievance_0007
Revises: grievance_0006
Create Date: 2026-12-07
"""

from alembic import op

revision = "grievance_0007"
down_revision = "grievance_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_grievance_case_opened_at", "grievance_case", ["opened_at"])
    op.create_index("ix_grievance_case_closed_at", "grievance_case", ["closed_at"])
    op.create_index("ix_grievance_case_event_action_at", "grievance_case_event",
                    ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_grievance_case_event_action_at", "grievance_case_event")
    op.drop_index("ix_grievance_case_closed_at", "grievance_case")
    op.drop_index("ix_grievance_case_opened_at", "grievance_case")
