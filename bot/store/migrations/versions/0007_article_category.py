"""articles.category and category_name: the site's category of an article (its link's alias, the
breadcrumb's name); chats.categories: the categories a chat chose (topics = "categories")

Chats that chose whole feeds before (topics = "feeds", feed_ids) are left as they are: they keep
receiving those feeds until they choose categories in /settings.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("category", sa.String(128)))
        batch.add_column(sa.Column("category_name", sa.String(128)))
    op.create_index("ix_articles_category", "articles", ["category"])
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("categories", sa.String(1024), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("categories")
    op.drop_index("ix_articles_category", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("category_name")
        batch.drop_column("category")
