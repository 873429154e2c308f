"""Queries for the citizen's choices and look-ups (settings, follows, search, digests)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine


class PrefsQueries:
    engine: AsyncEngine
    is_postgres: bool
