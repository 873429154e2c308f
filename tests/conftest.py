"""Shared fixtures: databases (SQLite always; PostgreSQL when reachable, required when CI says so)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.store.db import create_engine, upgrade
from bot.store.store import Store

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def _postgres_reachable() -> bool:
    import asyncpg

    async def probe() -> bool:
        try:
            conn = await asyncpg.connect(POSTGRES_URL, timeout=3)
        except (OSError, asyncpg.PostgresError):
            return False
        await conn.close()
        return True

    return asyncio.run(probe())


_PG_OK: bool | None = None


def postgres_ok() -> bool:
    global _PG_OK
    if _PG_OK is None:
        _PG_OK = _postgres_reachable()
    return _PG_OK


async def new_postgres_database() -> str:
    """A fresh, empty database for one test; returns its URL."""
    import asyncpg

    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


async def drop_postgres_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def fresh_postgres() -> Iterator[str]:
    """A new empty PostgreSQL database for one test, dropped afterwards."""
    if not postgres_ok():  # only with REQUIRE_POSTGRES=1: otherwise such tests are marked skipif below
        pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but {POSTGRES_URL} is not reachable")
    url = asyncio.run(new_postgres_database())
    yield url
    asyncio.run(drop_postgres_database(url))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty database, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    yield from fresh_postgres()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database (for what only PostgreSQL does: several processes)."""
    yield from fresh_postgres()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    engine = create_engine(database_url)
    await upgrade(engine)
    s = Store(engine)
    yield s
    await s.close()


def uses_postgres(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    fixtures = getattr(item, "fixturenames", ())
    return "postgres_url" in fixtures or (
        callspec is not None and callspec.params.get("database_url") == "postgres"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a reachable PostgreSQL, its tests are skipped with the reason, except when CI requires it
    (REQUIRE_POSTGRES=1), where they run and fail."""
    if REQUIRE_POSTGRES or not any(uses_postgres(item) for item in items) or postgres_ok():
        return
    marker = pytest.mark.skipif(True, reason=f"PostgreSQL not reachable at {POSTGRES_URL}")
    for item in items:
        if uses_postgres(item):
            item.add_marker(marker)
