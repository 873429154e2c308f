"""a chat is (platform, address): chats.platform and chats.address (the messenger's own chat id as text),
deliveries.message_ref (message ids that are not integers), chat_menus (the last numbered menu a chat on a
messenger without buttons was shown)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("platform", sa.String(16), server_default="telegram", nullable=False))
        batch.add_column(sa.Column("address", sa.String(64), nullable=True))
    op.execute("UPDATE chats SET address = CAST(id AS VARCHAR(64)) WHERE address IS NULL")
    with op.batch_alter_table("chats") as batch:
        batch.alter_column("address", existing_type=sa.String(64), nullable=False)
        batch.create_index("uq_chats_platform_address", ["platform", "address"], unique=True)
        batch.create_index("ix_chats_platform_fanout", ["platform", "subscribed", "active"])
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("message_ref", sa.String(128), nullable=True))
    op.create_table(
        "chat_menus",
        sa.Column(
            "chat_id",
            sa.BigInteger(),
            sa.ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chat_menus")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("message_ref")
    op.execute("DELETE FROM chats WHERE platform <> 'telegram'")
    with op.batch_alter_table("chats") as batch:
        batch.drop_index("ix_chats_platform_fanout")
        batch.drop_index("uq_chats_platform_address")
        batch.drop_column("address")
        batch.drop_column("platform")
