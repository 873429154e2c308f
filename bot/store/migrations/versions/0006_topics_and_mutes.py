"""chats.thread_id (a forum topic subscribed with /start inside it) and mutes (words a chat excludes)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("thread_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "mutes",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("word", sa.String(length=128), nullable=False),
        sa.Column("shown", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"], ondelete="CASCADE", onupdate="CASCADE"),
        sa.PrimaryKeyConstraint("chat_id", "word"),
    )


def downgrade() -> None:
    op.drop_table("mutes")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("thread_id")
