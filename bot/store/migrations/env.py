"""Alembic environment: runs on the connection the store hands over (see bot.store.db.upgrade)."""

from __future__ import annotations

from alembic import context

from bot.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the bot always passes its own connection
    raise RuntimeError("run migrations through `python -m bot db upgrade`")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
