"""Queries for the admin console (broadcasts, statistics, feed health, retractions, export, audit)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine


class AdminQueries:
    engine: AsyncEngine
    is_postgres: bool
