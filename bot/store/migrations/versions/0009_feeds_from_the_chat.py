"""feeds managed from the chat: where a feed comes from, paused, removed by an admin, an admin's name and
interval (kept over the settings file's at every start)

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("origin", sa.String(16), server_default="config", nullable=False))
        batch.add_column(sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("removed", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("admin_name", sa.String(256), nullable=True))
        batch.add_column(sa.Column("admin_interval", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        for column in ("admin_interval", "admin_name", "removed", "paused", "origin"):
            batch.drop_column(column)
