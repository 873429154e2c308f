"""send_pacing: the next free send slot, shared by every process (bot-wide rate limit on PostgreSQL)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_pacing",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("next_slot", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_pacing")
